"""Mail as customers' programs write it, for the tests to put in the desk's mailboxes."""

import datetime as dt
import itertools
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

_numbers = itertools.count(1)


def letter(*, sender="aino@example.com", name="Aino Asiakas", to="desk@example.org", subject="Help", text="Hello.",
           html=None, in_reply_to=None, headers=None, attachments=(), mail_id=None) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>" if name else sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc))
    msg["Message-ID"] = mail_id or make_msgid(f"customer{next(_numbers)}", domain="example.com")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for key, value in (headers or {}).items():  # after the content, which resets Content-* headers
        msg[key] = value
    for filename, content, kind in attachments:
        maintype, subtype = kind.split("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()
