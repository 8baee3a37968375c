"""`manage.py verify [--since DATE]`: a fixity audit of the stored files; non-zero exit when anything is wrong."""
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from lims.operations import fixity


def _moment(text: str) -> datetime:
    """A date (midnight in TIME_ZONE) or a date and time, as given on the command line."""
    found = parse_datetime(text)
    if found is None and (day := parse_date(text)) is not None:
        found = datetime.combine(day, time())
    if found is None:
        raise CommandError(f"--since: {text!r} is not a date (YYYY-MM-DD) or a date and time")
    return found if timezone.is_aware(found) else timezone.make_aware(found)


class Command(BaseCommand):
    help = "Re-hash stored files against their recorded sha256; report missing, changed and unreferenced files."

    def add_arguments(self, parser):
        parser.add_argument("--since", metavar="DATE",
                            help="Re-hash only data files stored since DATE (YYYY-MM-DD or an ISO date and time).")

    def handle(self, *args, since=None, **options):
        try:
            parsed = _moment(since) if since else None
        except ValueError as exc:
            raise CommandError(f"--since: {exc}") from None
        audit = fixity.audit(since=parsed, on_problem=lambda kind, path: self.stdout.write(f"{kind}: {path}"))
        self.stdout.write(f"checked {audit.checked} files ({audit.checked_bytes} bytes): {audit.missing} missing, "
                          f"{audit.changed} changed, {audit.unreferenced} unreferenced")
        if not audit.ok:
            raise CommandError("the fixity audit found problems (listed above)")
