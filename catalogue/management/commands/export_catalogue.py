import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.exporting import export_csv, export_json


class Command(BaseCommand):
    help = "Write the whole catalogue as JSON (CPSV-AP shape) or CSV; import_catalogue reads either back."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", "-o", type=Path, help="Default: standard output.")

    def handle(self, *args, format, output, **options):
        text = export_json() if format == "json" else export_csv()
        if output:
            if not output.parent.is_dir():
                raise CommandError(f"There is no folder {output.parent}: make it first, or write somewhere else.")
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
            self.stderr.write(f"Wrote {output}.")
        else:
            sys.stdout.write(text)
