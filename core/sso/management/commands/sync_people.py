"""``manage.py sync_people <file> [--format csv|json] [--dry-run]``: the people sync from the organ's
HR/OA export (core.sso.services.people_sync; the format: core.sso.export_format). Prints the report;
exits with an error, changing nothing, when a row is bad."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.sso.export_format import FORMATS, SyncFileError, format_of, read_export
from core.sso.report import report_lines
from core.sso.services import people_sync


class Command(BaseCommand):
    help = "Sync people from the organ's HR/OA export (CSV or JSON); --dry-run shows the changes only."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        with translation.override(settings.LANGUAGE_CODE):
            try:
                rows = read_export(content, format_of(path.name, options["format"]))
            except SyncFileError as exc:
                raise CommandError("\n".join(exc.messages)) from exc
            report = people_sync(rows, dry_run=options["dry_run"], actor=None, file_name=path.name)
            for line in report_lines(report):
                self.stdout.write(line)
            if not report.ok:
                raise CommandError("\n".join(report.problems))
