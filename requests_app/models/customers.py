"""Who the desk serves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    business_id = models.CharField(_("business ID"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="fi")
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        # The roles of need-to-know (models/access.py); given to people through groups.
        permissions = [
            ("serve_customers", "Front desk: serves any customer"),
            ("protect_data", "Data protection: sees and answers for all personal data"),
        ]
        indexes = [
            models.Index(fields=["email"], name="customer_email"),
            models.Index(fields=["phone"], name="customer_phone"),
            models.Index(fields=["business_id"], name="customer_business_id"),
        ]

    def __str__(self):
        return self.name



class MergeProposal(models.Model):
    """Two records that share no e-mail address, phone number or business ID are merged only when a second
    person with the role approves what the first proposed."""

    duplicate = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    survivor = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="merge_proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["duplicate", "survivor"], condition=models.Q(approved_at__isnull=True),
                                               name="one_open_merge_proposal")]
