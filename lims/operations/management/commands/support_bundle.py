"""`manage.py support_bundle OUT.zip`: versions, settings without secrets, doctor, health and recent errors."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lims.operations import support


class Command(BaseCommand):
    help = "Collect what a support request needs into a zip, with every secret removed."

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, metavar="OUT.zip", help="The zip file to write (replaced if present).")
        parser.add_argument("--log", type=Path, action="append", default=[], metavar="FILE",
                            help=f"A log file to include (its last {support.LOG_LINES} lines), e.g. the output "
                                 f"of `docker compose logs`; may be given several times.")

    def handle(self, *args, out: Path, log: list[Path], **options):
        for path in log:
            if not path.is_file():
                raise CommandError(f"--log: {path} is not a readable file")
        if not out.parent.is_dir():
            raise CommandError(f"OUT.zip: the folder {out.parent} does not exist")
        names = support.write(out, log)
        self.stdout.write(f"wrote {out}: {', '.join(names)}")
