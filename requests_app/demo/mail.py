"""The demo's mail: the organisation's general address and the payroll team's, some customers answering the
desk's replies, a few new mails waiting to be sorted, one naming a request from a stranger, an auto-reply.
Taken in through the inbox, as mail from a mail server would be."""

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from ..inbox.services import take_mail
from ..models import Mailbox, Message, Status
from .organisation import Organisation

ANSWERS = ["Thank you. The month in question is October.", "Here are the details you asked for: the trip was "
           "on 14 November.", "It still does not work after the restart.", "Kiitos, lisätiedot alla."]
TO_SORT = [
    ("Matti Virtanen", "matti.virtanen@example.fi", "Palkkatodistus", "Tarvitsen palkkatodistuksen pankkia varten."),
    ("Anna Lindqvist", "anna.lindqvist@example.fi", "Fråga om reseräkning", "Hur fyller jag i en reseräkning?"),
    ("John Smith", "john.smith@example.com", "Cannot log in", "My account says it is locked."),
]


def _mail(*, sender, name, subject, text, at, in_reply_to=None, headers=None) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>"
    msg["To"] = "kirjaamo@agency.example.fi"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    if in_reply_to:
        msg["In-Reply-To"] = msg["References"] = in_reply_to
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(text)
    return msg.as_bytes()


def seed_mail(org: Organisation, *, now: dt.datetime) -> int:
    if Mailbox.objects.exists():
        return 0
    general = Mailbox.objects.create(name="Kirjaamo", address="kirjaamo@agency.example.fi")
    Mailbox.objects.create(name="Palkat", address="palkat@agency.example.fi", service=org.services["salary-payment"])
    rng = org.rng
    replies = list(
        Message.objects.filter(direction=Message.Direction.OUTGOING, purpose=Message.Purpose.REPLY,
                               request__status__in=[Status.OPEN, Status.WAITING], mail_id__isnull=False,
                               created_at__gt=now - dt.timedelta(days=10))
        .select_related("request__customer").order_by("-created_at")[:40]
    )
    taken = 0
    for reply in rng.sample(replies, min(8, len(replies))):
        req = reply.request
        at = max(reply.created_at, now - dt.timedelta(hours=20)) + dt.timedelta(minutes=rng.randint(5, 300))
        if at >= now:
            continue
        take_mail(_mail(sender=req.customer.email, name=req.customer.name, subject=f"Re: [{req.reference}] {req.subject}",
                        text=f"{rng.choice(ANSWERS)}\n\n{req.customer.name}\n\n> {reply.body}", at=at,
                        in_reply_to=reply.mail_id), mailbox_id=general.pk, now=at)
        taken += 1
    for hours, (name, sender, subject, text) in enumerate(TO_SORT, start=1):
        at = now - dt.timedelta(hours=hours)
        take_mail(_mail(sender=sender, name=name, subject=subject, text=text, at=at), mailbox_id=general.pk, now=at)
        taken += 1
    if replies:
        req = replies[0].request
        at = now - dt.timedelta(minutes=30)
        take_mail(_mail(sender="someone.else@example.net", name="Someone Else", subject=f"[{req.reference}] Please "
                        "send the decision to me instead", text="I am handling this for them.", at=at),
                  mailbox_id=general.pk, now=at)
        take_mail(_mail(sender=req.customer.email, name=req.customer.name, subject="Automatic reply: out of office",
                        text="I am out of office until Monday.", at=at, in_reply_to=replies[0].mail_id,
                        headers={"Auto-Submitted": "auto-replied"}), mailbox_id=general.pk, now=at)
        taken += 2
    return taken
