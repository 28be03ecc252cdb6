"""The audit log: who read whose personal data, and every change of roles, teams, the catalogue and the
commitments. Append-only: on PostgreSQL a trigger refuses every UPDATE and DELETE of its rows (migration
0020), so the desk's own database user cannot rewrite what it recorded."""

import contextvars

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Who is acting in this request or task, for entries written where no person is passed (signals).
current_actor = contextvars.ContextVar("current_actor", default=None)


class AuditEntry(models.Model):
    class Kind(models.TextChoices):
        READ_CUSTOMER = "read_customer", _("Read a customer's data")
        READ_REQUEST = "read_request", _("Read a request")
        ROLE = "role", _("Roles changed")
        TEAM = "team", _("Team changed")
        CATALOGUE = "catalogue", _("Catalogue changed")
        COMMITMENT = "commitment", _("Commitment changed")
        EXPORT = "export", _("Exported everything about a customer")
        ERASURE = "erasure", _("Erased a customer's personal data")
        RETENTION = "retention", _("Personal data removed after its retention period")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Ids and names as they were, no foreign keys: an entry outlives accounts and records, unchanged.
    actor_id = models.IntegerField(null=True, db_index=True)
    actor = models.CharField(_("who"), max_length=150, blank=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    via = models.CharField(_("through"), max_length=20, blank=True)  # page, api, admin, command
    customer_id = models.IntegerField(null=True, db_index=True)
    request_id = models.IntegerField(null=True, db_index=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    @classmethod
    def record(cls, kind, *, by=None, via="", customer_id=None, request_id=None, detail=""):
        return cls.objects.create(**cls._who(by), kind=kind, via=via, customer_id=customer_id,
                                  request_id=request_id, detail=detail[:300])

    @classmethod
    def record_request_read(cls, req, *, by, via, detail=""):
        """Someone saw a request's content (and so its customer's): its page, a file, the API."""
        return cls.record(cls.Kind.READ_REQUEST, by=by, via=via, request_id=req.pk, customer_id=req.customer_id,
                          detail=detail)

    @classmethod
    def record_customers_read(cls, customer_ids, *, by, via):
        """One entry per customer a list showed the contact details of (a search's results)."""
        who = cls._who(by)
        cls.objects.bulk_create(cls(**who, kind=cls.Kind.READ_CUSTOMER, via=via, customer_id=pk) for pk in customer_ids)

    @staticmethod
    def _who(by) -> dict:
        by = by if by is not None else current_actor.get()
        known = by is not None and getattr(by, "is_authenticated", False)
        return {"actor_id": by.pk if known else None, "actor": by.get_username() if known else ""}
