from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalogue.importing import import_file
from teams.models import User


def tqdm_progress(stage: str, total: int):
    return tqdm(total=total, desc=stage, unit="rows", leave=True)


def report_outcome(command, report, check_only: bool) -> None:
    if not report.ok:
        for problem in report.problems:
            command.stderr.write(str(problem))
        raise CommandError(f"{len(report.problems)} problem(s); nothing was written.")
    prefix = "Would import" if check_only else "Imported"
    command.stdout.write(command.style.SUCCESS(f"{prefix} {report.records} rows. {report.summary()}"))


def actor(username):
    if not username:
        return None
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"No user {username!r}.") from None


class Command(BaseCommand):
    help = ("Import a catalogue file (CSV or JSON as export_catalogue writes it). The whole file is checked "
            "first; nothing is written unless it is all valid. Rows match by identifier.")

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=["csv", "json"], help="Default: from the file name.")
        parser.add_argument("--user", help="Record the changes under this maintainer's name.")
        parser.add_argument("--check", action="store_true", help="Only check the file and say what would change.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, path, format, user, check, no_progress, **options):
        if not path.exists():
            raise CommandError(f"No file {path}.")
        report = import_file(
            path.read_bytes(), filename=path.name, fmt=format, by=actor(user), dry_run=check,
            progress=None if no_progress else tqdm_progress,
        )
        report_outcome(self, report, check)
