from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue import importing
from catalogue.management.commands.import_catalogue import actor, report_outcome, tqdm_progress
from catalogue.ptv import read_ptv


class Command(BaseCommand):
    help = ("Import the Finnish Service Catalogue's (PTV) service classes, target groups and general "
            "descriptions as service areas, customer groups and services. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=None, help="Default: the PTV_DATA_DIR setting.")
        parser.add_argument("--user", help="Record the changes under this maintainer's name.")
        parser.add_argument("--check", action="store_true", help="Only check and say what would change.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, data_dir, user, check, no_progress, **options):
        data_dir = data_dir or Path(settings.PTV_DATA_DIR)
        if not (data_dir / "GeneralDescriptions.json").exists():
            raise CommandError(f"No PTV data in {data_dir}.")
        report = importing.import_records(
            read_ptv(data_dir), by=actor(user), dry_run=check, progress=None if no_progress else tqdm_progress
        )
        report_outcome(self, report, check)
