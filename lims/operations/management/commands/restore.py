"""`manage.py restore SRC`: rebuild an empty installation from a backup, then check every file's sha256."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lims.operations import fixity
from lims.operations.database import DatabaseCopyError
from lims.operations.restore import RestoreRefused, restore


class Command(BaseCommand):
    help = ("Restore a backup into an empty installation (new database, empty DATA_ROOT or object store prefix) "
            "and verify it.")

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, metavar="SRC",
                            help="A backup folder (its latest backup is restored) or one of its sets/<time> folders.")

    def handle(self, *args, source: Path, **options):
        try:
            result = restore(source)
        except (RestoreRefused, DatabaseCopyError) as exc:
            raise CommandError(f"nothing restored: {exc}") from None
        self.stdout.write(f"restored {result.folder}: {result.files} files ({result.restored_bytes} bytes)")
        audit = fixity.audit(on_problem=lambda kind, path: self.stderr.write(f"{kind}: {path}"))
        self.stdout.write(f"verified {audit.checked} files: {audit.missing} missing, {audit.changed} changed, "
                          f"{audit.unreferenced} unreferenced")
        if result.mismatched or not audit.ok:
            raise CommandError(f"restored, but {len(result.mismatched)} files differ from the backup's manifest and "
                               f"the audit found problems: see above")
