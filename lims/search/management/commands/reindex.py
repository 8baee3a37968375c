"""`python manage.py reindex`: rebuild the search index of every record, with a progress bar."""
from django.core.management.base import BaseCommand
from tqdm import tqdm

from lims.search.index import reindex


class Command(BaseCommand):
    help = "Rebuild the search index from the records (after an upgrade, a restore or a change of the index)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Database alias to reindex (default: default).")
        parser.add_argument("--no-progress", action="store_true", help="Print only the summary, no progress bar.")

    def handle(self, *args, **options):
        bar = None if options["no_progress"] else tqdm(total=0, unit="record", file=self.stderr, dynamic_ncols=True)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.update(done - bar.n)

        count = reindex(options["database"], progress=progress)
        if bar is not None:
            bar.close()
        self.stdout.write(f"Indexed {count} record{'s' if count != 1 else ''} for search.")
