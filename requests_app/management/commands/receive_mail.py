"""Take mail into the desk: one RFC 822 message on standard input (a mail server's pipe), or every new
message of a Maildir folder."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from requests_app.inbox.fetching import take_maildir
from requests_app.inbox.services import take_mail
from requests_app.models import Mailbox

TEMPORARY_FAILURE = 75  # EX_TEMPFAIL: the mail server keeps the message and tries again later


class Command(BaseCommand):
    help = "Take one message from standard input, or a Maildir's new messages, into the desk."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", help="The desk address the mail was sent to (decides the service of a "
                                              "new request); the general address when left out.")
        parser.add_argument("--maildir", type=Path, help="Take every message in this Maildir's new/ folder.")

    def handle(self, *args, mailbox=None, maildir=None, **options):
        mailbox_id = None
        if mailbox:
            mailbox_id = Mailbox.objects.filter(address__iexact=mailbox).values_list("pk", flat=True).first()
            if mailbox_id is None:
                raise CommandError(f"No mailbox has the address {mailbox}.")
        try:
            if maildir is not None:
                if not (maildir / "new").is_dir():
                    raise CommandError(f"{maildir} is not a Maildir folder (it has no new/ folder).")
                taken = take_maildir(maildir, mailbox_id=mailbox_id)
                self.stdout.write(f"Took {taken} message(s) from {maildir}.")
                return
            mail = take_mail(sys.stdin.buffer.read(), mailbox_id=mailbox_id)
        except DatabaseError as error:
            self.stderr.write(f"The desk's database did not answer; try again later: {error}")
            sys.exit(TEMPORARY_FAILURE)
        self.stdout.write(f"{mail.get_outcome_display()}: {mail.mail_id}" + (f" ({mail.reason})" if mail.reason else ""))
