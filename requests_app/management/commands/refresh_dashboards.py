from django.core.management.base import BaseCommand

from requests_app.dashboards import figures


class Command(BaseCommand):
    help = "Recount the dashboards' daily figures: the recent days, or with --all every day (as the nightly task)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recount every day, not only the recent ones.")

    def handle(self, *args, all, **options):
        written = figures.refresh_all() if all else figures.refresh_recent()
        self.stdout.write(self.style.SUCCESS(f"Dashboard figures counted ({written} daily rows)."))
