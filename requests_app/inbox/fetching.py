"""Reading mailboxes: IMAP for the organisation's and the teams' addresses, and a Maildir folder. Each
message is taken by `services.take_mail` in its own transaction, which also moves the mailbox past it:
a worker killed in the middle of a fetch leaves every message either taken (and passed) or not."""

import datetime as dt
import imaplib
import os
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from ..models import InboundMail, Mailbox
from .services import mailbox_of, route_mail, stage_batch, take_mail

BATCH = 20


def read_now(pks: list[int]) -> None:
    for pk in pks:
        route_mail(pk)


def fetch_mailbox(mailbox_id: int, *, now=None, route=read_now) -> int:
    """Keep what is new in one mailbox, and have it read (`route`: here and now, or by the mail workers);
    the number of messages kept. A second reader finds the mailbox held and leaves it; a reader that dies
    lets go when its lease runs out."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.MAIL_FETCH_LEASE_SECONDS)
    held = (Mailbox.objects.filter(pk=mailbox_id, is_active=True)
            .filter(Q(fetching_until__isnull=True) | Q(fetching_until__lt=now))
            .update(fetching_until=now + lease))
    if not held:
        return 0
    mailbox = Mailbox.objects.get(pk=mailbox_id)
    taken, error = 0, ""
    try:
        with IMAPClient(mailbox.host, port=mailbox.port, ssl=mailbox.use_ssl, timeout=settings.EMAIL_TIMEOUT) as imap:
            imap.login(mailbox.username, os.environ.get(mailbox.password_env, "") if mailbox.password_env else "")
            # Read-only: the desk never changes the mailbox (flags, deletions); where it stopped is its own.
            validity = imap.select_folder(mailbox.folder, readonly=True)[b"UIDVALIDITY"]
            last_uid = mailbox.last_uid
            if mailbox.uidvalidity != validity:
                # A new or rebuilt folder: its UIDs mean something else now. Read it all again; what was
                # taken before is known by its Message-ID and not stored twice.
                Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=validity, last_uid=0)
                last_uid = 0
            # "n:*" also answers the highest UID when it is below n: keep only what is new.
            uids = sorted(uid for uid in imap.search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid)
            for start in range(0, len(uids), BATCH):
                batch = uids[start:start + BATCH]
                sizes = imap.fetch(batch, ["RFC822.SIZE"])
                small = [uid for uid in batch if sizes.get(uid, {}).get(b"RFC822.SIZE", 0) <= settings.MAIL_MAX_BYTES]
                bodies = imap.fetch(small, ["BODY.PEEK[]"]) if small else {}
                large = [uid for uid in batch if uid not in bodies]
                heads = imap.fetch(large, ["BODY.PEEK[HEADER]"]) if large else {}
                staged = stage_batch(
                    [(uid, bodies[uid][b"BODY[]"], None) if uid in bodies else
                     (uid, heads.get(uid, {}).get(b"BODY[HEADER]", b""), sizes.get(uid, {}).get(b"RFC822.SIZE"))
                     for uid in batch], mailbox=mailbox)
                kept = [mail.pk for mail in staged if mail.outcome == InboundMail.Outcome.RECEIVED]
                taken += len(batch)
                route(kept)
                Mailbox.objects.filter(pk=mailbox.pk).update(fetching_until=timezone.now() + lease)
    except (OSError, IMAPClientError, imaplib.IMAP4.error) as failure:
        error = f"{failure.__class__.__name__}: {failure}"[:300]
    finally:
        Mailbox.objects.filter(pk=mailbox_id).update(fetching_until=None, last_fetched_at=timezone.now(),
                                                     last_error=error)
    return taken


def fetch_all(*, now=None, route=read_now) -> int:
    mailboxes = Mailbox.objects.filter(is_active=True).exclude(host="").values_list("pk", flat=True)
    return sum(fetch_mailbox(pk, now=now, route=route) for pk in mailboxes)


def take_maildir(path: Path, *, mailbox_id: int | None = None) -> int:
    """Take every message in a Maildir's new/ folder, then move it to cur/ as seen. A message taken but not
    yet moved (the process died) is read again next time and known by its Message-ID."""
    new, cur = Path(path) / "new", Path(path) / "cur"
    mailbox = mailbox_of(mailbox_id)
    taken = 0
    for file in sorted(new.iterdir()) if new.is_dir() else ():
        if not file.is_file():
            continue
        take_mail(file.read_bytes(), mailbox=mailbox)
        cur.mkdir(exist_ok=True)
        file.rename(cur / f"{file.name}:2,S")
        taken += 1
    return taken
