"""Run in the provider's own process: a person with groups, and the desk as a registered client.

    python -m tests.oidc_provider.seed REDIRECT_URI
"""

import sys

import django


def main(redirect_uri: str) -> None:
    django.setup()
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    person = User.objects.create_user("aino.virtanen", password="provider-pass-1", first_name="Aino",
                                      last_name="Virtanen", email="aino.virtanen@example.org")
    for name in ("sd-payroll-leads", "sd-privacy", "unrelated-group"):
        person.groups.add(Group.objects.create(name=name))
    Application.objects.create(
        name="Service desk", client_id="service-desk", client_secret="desk-secret-1", user=person,
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri, algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
    )


if __name__ == "__main__":
    main(sys.argv[1])
