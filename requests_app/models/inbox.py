"""Mail coming in: the mailboxes the desk reads, and every message it took from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .requests import Message, ServiceRequest


class Mailbox(models.Model):
    """An address customers write to. A team's mailbox names the service its new mail is for; the
    organisation's general address names none, and its new mail waits to be sorted by a person."""

    name = models.CharField(_("name"), max_length=100)
    address = models.EmailField(_("address"), unique=True)
    service = models.ForeignKey(
        "catalogue.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="mailboxes",
        verbose_name=_("service for new mail"),
    )
    host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(_("TLS"), default=True)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    username = models.CharField(_("account"), max_length=200, blank=True)
    # The secret itself never enters the database: only the name of the environment variable holding it.
    password_env = models.CharField(_("password from environment variable"), max_length=100, blank=True)
    is_active = models.BooleanField(_("read"), default=True)
    # Where reading stopped: the folder's UIDVALIDITY and the last UID taken, moved with each message stored.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    # A fetch holds the mailbox until then: two workers never read one mailbox at once, and a dead one's
    # claim runs out.
    fetching_until = models.DateTimeField(null=True, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} <{self.address}>"


class InboundMail(models.Model):
    """One message as it arrived, kept whole, and what the desk made of it."""

    class Outcome(models.TextChoices):
        RECEIVED = "received", _("Received, not read yet")
        JOINED = "joined", _("Joined its request")
        NEW_REQUEST = "new_request", _("Opened a request")
        TO_SORT = "to_sort", _("Waiting to be sorted")
        SORTED = "sorted", _("Sorted")
        FLAGGED = "flagged", _("Names a request, from someone else")
        ACCEPTED = "accepted", _("Accepted by the team")
        DISMISSED = "dismissed", _("Dismissed")
        AUTOMATIC = "automatic", _("Automatic reply: recorded, not answered")
        BOUNCE = "bounce", _("Delivery failure report")
        OWN = "own", _("Sent by the desk itself")
        SET_ASIDE = "set_aside", _("Set aside: could not be read")

    mailbox = models.ForeignKey(Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="mails")
    # The sender's Message-ID (or, when it has none, one made from the content): the same mail fetched twice,
    # or delivered to two of the desk's addresses, is stored once.
    mail_id = models.CharField(max_length=300, unique=True)
    from_address = models.CharField(max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(db_index=True)
    size = models.PositiveIntegerField(default=0)
    raw = models.BinaryField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_mails"
    )
    message = models.OneToOneField(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="mail")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        permissions = [("manage_mail", "Can see mail set aside and manage mailboxes")]
        indexes = [
            models.Index(fields=["outcome", "received_at"],
                         condition=Q(outcome__in=["received", "to_sort", "flagged", "set_aside"]),
                         name="inbound_mail_waiting"),
        ]

    def __str__(self):
        return f"{self.from_address}: {self.subject}"
