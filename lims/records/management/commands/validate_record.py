"""`manage.py validate_record FILE...`: check record XML files against the record schema."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from records.validate import validate


class Command(BaseCommand):
    help = "Validate record XML files against the record schema; exit non-zero when any is invalid or unreadable."
    requires_system_checks = []  # reads files only: no database, no deployment settings needed

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Record XML file(s) to validate.")

    def handle(self, *args, **options):
        failed = 0
        limit = settings.RECORD_MAX_BYTES
        for name in options["files"]:
            try:
                with open(name, "rb") as handle:
                    data = handle.read(limit + 1)  # enough to tell it is too large
            except OSError as exc:
                self.stdout.write(f"{name}: cannot read: {exc.strerror or exc}")
                failed += 1
                continue
            issues = validate(data, max_size=limit)
            if not issues:
                self.stdout.write(f"{name}: valid")
                continue
            failed += 1
            for issue in issues:
                where = f" element {issue.element}:" if issue.element else ""
                self.stdout.write(f"{name}: line {issue.line}:{where} {issue.message}")
        if failed:
            raise CommandError(f"{failed} of {len(options['files'])} file(s) invalid or unreadable", returncode=1)
