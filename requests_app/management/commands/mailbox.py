"""The mailboxes the desk reads: add, change, list and switch off, from the command line (or a deployment
script). The password is never given here: only the name of the environment variable that holds it."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from catalogue.models import Service
from requests_app.models import Mailbox


class Command(BaseCommand):
    help = "Add, change, list or switch off the mailboxes the desk reads over IMAP."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="Every mailbox, where it reads and how it went last time.")
        listing.set_defaults(action="list")
        for name in ("add", "change"):
            action = actions.add_parser(name, help=f"{name.title()} a mailbox.")
            action.add_argument("address", help="The address customers write to.")
            action.add_argument("--name")
            action.add_argument("--service", help="Code of the service new mail opens requests for; leave out "
                                                  "for the general address, whose new mail waits to be sorted.")
            action.add_argument("--host", help="IMAP server; leave out for mail piped to `receive_mail`.")
            action.add_argument("--port", type=int)
            action.add_argument("--no-tls", action="store_true", help="Plain IMAP (only on a trusted network).")
            action.add_argument("--folder")
            action.add_argument("--user", help="The IMAP account.")
            action.add_argument("--password-env", help="Name of the environment variable holding the password.")
        off = actions.add_parser("off", help="Stop reading a mailbox (what it brought stays).")
        off.add_argument("address")

    def handle(self, *args, action, **options):
        if action == "list":
            for box in Mailbox.objects.select_related("service"):
                where = f"{box.username}@{box.host}:{box.port}/{box.folder}" if box.host else "piped or Maildir"
                state = "on" if box.is_active else "off"
                last = box.last_fetched_at.isoformat() if box.last_fetched_at else "never"
                self.stdout.write(f"{box.address} ({state}) → {box.service.code if box.service else 'to sort'}; "
                                  f"{where}; last read {last}{'; ' + box.last_error if box.last_error else ''}")
            return
        address = options["address"].strip().lower()
        if action == "off":
            if not Mailbox.objects.filter(address=address).update(is_active=False):
                raise CommandError(f"No mailbox has the address {address}.")
            self.stdout.write(f"{address} is no longer read.")
            return
        try:
            validate_email(address)
        except ValidationError:
            raise CommandError(f"{address} is not an e-mail address.") from None
        box = Mailbox.objects.filter(address=address).first()
        if action == "add" and box is not None:
            raise CommandError(f"{address} is already a mailbox; use `change`.")
        if action == "change" and box is None:
            raise CommandError(f"No mailbox has the address {address}.")
        box = box or Mailbox(address=address, name=address)
        if options["service"]:
            box.service = Service.objects.filter(code=options["service"]).first()
            if box.service is None:
                raise CommandError(f"No service has the code {options['service']}.")
        for option, field in (("name", "name"), ("host", "host"), ("port", "port"), ("folder", "folder"),
                              ("user", "username"), ("password_env", "password_env")):
            if options[option] is not None:
                setattr(box, field, options[option])
        if options["no_tls"]:
            box.use_ssl = False
            if options["port"] is None and box.port == 993:
                box.port = 143
        box.is_active = True
        box.save()
        self.stdout.write(f"{box.address} saved.")
