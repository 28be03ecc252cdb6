from oauth2_provider.oauth2_validators import OAuth2Validator


class GroupsValidator(OAuth2Validator):
    """The claims an identity provider sends: the user name, names, e-mail and the person's groups."""

    oidc_claim_scope = None  # every claim, whatever the scope

    def get_additional_claims(self, request):
        user = request.user
        return {"preferred_username": user.username, "given_name": user.first_name, "family_name": user.last_name,
                "email": user.email, "groups": sorted(group.name for group in user.groups.all())}
