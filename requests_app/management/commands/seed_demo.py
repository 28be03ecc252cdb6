import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from requests_app import demo


def moment(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Give --now as an ISO 8601 date and time, for example 2026-11-18T10:30+02:00, not {text!r}.")
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class Command(BaseCommand):
    help = "Seed a realistic demo organisation (sites, units, teams, people, catalogue, requests). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=moment, default=None,
                            help="the moment the demo's history ends (default: now), e.g. 2026-11-18T10:30+02:00")

    def handle(self, *args, now, **options):
        result = demo.seed(now=now)
        made = result["requests"]
        self.stdout.write(self.style.SUCCESS(
            f"Demo organisation ready ({made} requests logged)." if made else "Demo organisation already in place."
        ))
        self.stdout.write(
            f"\nLog in with the password {demo.PASSWORD!r} as one of:\n"
            f"  {result['front_desk'].username:<18} front desk: serves any customer, logs requests, maintains the catalogue\n"
            f"  {result['data_protection'].username:<18} data protection: sees all personal data, merges customers\n"
            f"  {result['lead'].username:<18} lead of the Payroll team\n"
            f"  {result['member'].username:<18} member of the Payroll team\n"
            "  or anyone listed on the Teams page (user names are first.last, without umlauts)\n"
        )
