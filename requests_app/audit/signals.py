"""Changes the audit log records wherever they are made (pages, the admin, commands): roles, team
memberships and charters, the catalogue, commitments. Connected in RequestsAppConfig.ready."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save

from catalogue.models import CatalogueChange, catalogue_imported
from teams.models import TeamChange, User

from ..models import AuditEntry, Commitment

Kind = AuditEntry.Kind


def _role_change(sender, instance, action, pk_set, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    names = ", ".join(_name(obj) for obj in model.objects.filter(pk__in=pk_set or ())) or "all"
    sign = {"post_add": "+", "post_remove": "−", "post_clear": "−"}[action]
    AuditEntry.record(Kind.ROLE, via="change", detail=f"{_name(instance)}: {sign} {names}")


def _name(obj) -> str:
    return obj.get_username() if isinstance(obj, User) else str(obj)


def _team_change(sender, instance, created, **kwargs):
    if created:
        AuditEntry.record(Kind.TEAM, by=instance.actor, via="change",
                          detail=f"{instance.team}: {instance.get_kind_display()} "
                                 f"{instance.person.get_username() if instance.person else ''}".strip())


def _catalogue_change(sender, instance, created, **kwargs):
    if created:
        AuditEntry.record(Kind.CATALOGUE, by=instance.changed_by, via="change", detail=str(instance))


def _catalogue_import(sender, by, changes, **kwargs):
    if changes:
        AuditEntry.record(Kind.CATALOGUE, by=by, via="import", detail=f"{changes} changes imported")


def _commitment_change(sender, instance, **kwargs):
    gone = "created" not in kwargs
    AuditEntry.record(Kind.COMMITMENT, via="change",
                      detail=f"{'removed' if gone else 'saved'}: {instance}")


def connect():
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_role_change, sender=through, dispatch_uid=f"audit-roles-{through.__name__}")
    post_save.connect(_team_change, sender=TeamChange, dispatch_uid="audit-team")
    post_save.connect(_catalogue_change, sender=CatalogueChange, dispatch_uid="audit-catalogue")
    catalogue_imported.connect(_catalogue_import, dispatch_uid="audit-catalogue-import")
    post_save.connect(_commitment_change, sender=Commitment, dispatch_uid="audit-commitment-saved")
    post_delete.connect(_commitment_change, sender=Commitment, dispatch_uid="audit-commitment-removed")
