"""`manage.py backup DEST`: the database and every stored file, copying only what DEST does not hold yet."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lims.operations.backup import backup
from lims.operations.database import DatabaseCopyError


class Command(BaseCommand):
    help = "Write a consistent backup (database and stored files) into DEST; unchanged files are not copied again."

    def add_arguments(self, parser):
        parser.add_argument("dest", type=Path, help="Backup folder (made if needed), e.g. a mounted backup volume.")

    def handle(self, *args, dest: Path, **options):
        try:
            result = backup(dest)
        except (DatabaseCopyError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from None
        self.stdout.write(f"backup {result.folder}: {result.files} files, {result.copied} copied "
                          f"({result.copied_bytes} bytes), {result.reused} already held")
        for path in result.missing:
            self.stderr.write(f"missing: {path}")
        for path in result.changed:
            self.stderr.write(f"changed since it was stored (backed up as it is now): {path}")
        if not result.ok:
            raise CommandError(f"the backup is written, but {len(result.missing)} files are missing and "
                               f"{len(result.changed)} differ from their recorded sha256: run `manage.py verify`")
