"""Who the desk serves."""

import functools

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import ChoiceLabels

SEARCH_TOO_SHORT = _("Type at least three letters of a name, or a whole e-mail address, phone number or business ID.")


class CustomerQuerySet(models.QuerySet):
    def matching(self, text: str):
        """By at least three letters of a name, or an exact e-mail address, business ID or phone number (its
        last seven digits); never a letter at a time. Raises ValueError(SEARCH_TOO_SHORT) for less."""
        text = text.strip()
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(text) < 3:
            raise ValueError(SEARCH_TOO_SHORT)
        match = Q(name__icontains=text) | Q(email__iexact=text) | Q(business_id__iexact=text)
        if len(digits) >= 7:
            # However the number was written down: "+358 40 765 4321" is found by "040-7654321".
            phone_digits = functools.reduce(lambda expr, sign: Replace(expr, Value(sign), Value("")), " -()+./",
                                            F("phone"))
            return self.alias(phone_digits=phone_digits).filter(match | Q(phone_digits__contains=digits[-7:]))
        return self.filter(match)

    def for_search(self):
        """As a search lists them: by name, each with how many requests it has."""
        return self.annotate(request_count=models.Count("requests")).order_by("name", "pk")


class Customer(ChoiceLabels, models.Model):
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

    objects = CustomerQuerySet.as_manager()

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
