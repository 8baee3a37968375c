"""`manage.py build_records`: build every session that is waiting, or rebuild chosen ones."""
from django.core.management.base import BaseCommand, CommandError

from lims.records import pipeline
from lims.sessions import builds
from lims.sessions.models import Session


class Command(BaseCommand):
    help = "Build the record of every ended session that is waiting (in this process, or through the workers)."

    def add_arguments(self, parser):
        parser.add_argument("--session", action="append", default=[], metavar="ID",
                            help="Rebuild this session even if it was built already (repeatable).")
        parser.add_argument("--reextract", action="store_true", help="With --session: read every file again.")
        parser.add_argument("--queue", action="store_true", help="Send the builds to the workers instead of building here.")

    def handle(self, session, reextract, queue, **options):
        for session_id in session:
            found = Session.objects.filter(pk=session_id).first()
            if found is None:
                raise CommandError(f"no session {session_id}")
            if found.state == Session.State.ACTIVE:
                raise CommandError(f"session {session_id} is still active; end it first")
            found.request_rebuild()
            if reextract:
                found.files.update(extracted=False)
        waiting = Session.objects.filter(state=Session.State.ENDED).order_by("start")
        counts = {}
        for found in waiting:
            if queue:
                state = "QUEUED" if builds.queue_build(found) else found.state
            else:
                state = pipeline.build_now(str(found.pk))
            counts[state] = counts.get(state, 0) + 1
            self.stdout.write(f"{found.pk} {state}")
        summary = ", ".join(f"{n} {state.lower()}" for state, n in sorted(counts.items())) or "nothing waiting"
        self.stdout.write(f"{sum(counts.values())} sessions: {summary}")
