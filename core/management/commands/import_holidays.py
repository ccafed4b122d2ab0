"""``manage.py import_holidays FILE``: next year's public holidays and 调休 working days from the State
Council notice, typed into a short text file (format: core/services/calendar.py and the README)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.services.calendar import calendar_import, notice_decode, notice_parse


class Command(BaseCommand):
    help = "Import a State Council holiday notice (a text file) into the working-day calendar."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the notice as text, e.g. core/fixtures/holidays/2026.txt")
        parser.add_argument("--check", action="store_true", help="read and check the file, store nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            text = notice_decode(path.read_bytes())
            if options["check"]:
                notice = notice_parse(text)
                self.stdout.write(
                    f"{path}: {notice.year}, {len(notice.exceptions())} exception days, not stored"
                )
                return
            year, days = calendar_import(text=text, source=path.name)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"{year.year}: {days} exception days imported ({year.source})"))
