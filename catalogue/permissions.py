"""Who may change the catalogue: the people in the catalogue maintainers' group (or anyone given the
`catalogue.maintain_catalogue` permission directly)."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _

from servicedesk.errors import NotAllowed

MAINTAINERS_GROUP = "Catalogue maintainers"
PERMISSION = "catalogue.maintain_catalogue"


def can_maintain(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def require_maintainer(user) -> None:
    if not can_maintain(user):
        raise NotAllowed(_("Only catalogue maintainers can change the catalogue."))


def maintainers_group() -> Group:
    """The group migration 0004 creates; made again if someone deleted it."""
    group, _created = Group.objects.get_or_create(name=MAINTAINERS_GROUP)
    permission = Permission.objects.get(content_type__app_label="catalogue", codename="maintain_catalogue")
    group.permissions.add(permission)
    return group
