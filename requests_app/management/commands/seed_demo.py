from django.core.management.base import BaseCommand

from requests_app import demo


class Command(BaseCommand):
    help = "Seed a realistic demo organisation (sites, units, teams, people, catalogue, requests). Safe to run again."

    def handle(self, *args, **options):
        result = demo.seed()
        made = result["requests"]
        self.stdout.write(self.style.SUCCESS(
            f"Demo organisation ready ({made} requests logged)." if made else "Demo organisation already in place."
        ))
        self.stdout.write(
            f"\nLog in with the password {demo.PASSWORD!r} as one of:\n"
            f"  {result['front_desk'].username:<18} front desk: logs requests for customers, maintains the catalogue\n"
            f"  {result['lead'].username:<18} lead of the Payroll team\n"
            f"  {result['member'].username:<18} member of the Payroll team\n"
            "  or anyone listed on the Teams page (user names are first.last, without umlauts)\n"
        )
