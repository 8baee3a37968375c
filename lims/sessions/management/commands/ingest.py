"""`manage.py ingest DIR --instrument PID --user NAME`: import an existing folder (or tree) as sessions."""
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from lims.instruments.models import Instrument
from lims.sessions import builds, ingest
from lims.sessions.models import Session
from lims.sessions.waiting import wait_for_build


def _when(value: str | None, zone) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(f"{value!r} is not a date and time (use ISO 8601, e.g. 2025-03-01T09:30)")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


class Command(BaseCommand):
    help = "Make a session from an existing folder (or one per folder of a tree), build its record, print id and URL."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder holding the session's files.")
        parser.add_argument("--instrument", required=True, help="PID of the instrument that wrote the files.")
        parser.add_argument("--user", required=True, help="Experimenter's name (linked to the account of that username).")
        parser.add_argument("--start", help="Session start (ISO 8601, instrument's time zone if none given); default: oldest file.")
        parser.add_argument("--end", help="Session end (ISO 8601); default: newest file.")
        parser.add_argument("--tree", action="store_true", help="One session per sub-folder of FOLDER.")
        parser.add_argument("--split-gap", type=float, metavar="MINUTES",
                            help="Split a folder into several sessions wherever files are this many minutes apart.")
        parser.add_argument("--sample", help="Sample name.")
        parser.add_argument("--project", help="Project.")
        parser.add_argument("--purpose", help="Purpose of the session.")
        parser.add_argument("--no-build", action="store_true", help="Only import; leave the sessions waiting.")
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds to wait for the workers (default 3600).")

    def handle(self, folder, instrument, user, **options):
        import zoneinfo

        root = Path(folder)
        if not root.is_dir():
            raise CommandError(f"{folder} is not a folder")
        found = Instrument.objects.filter(pid=instrument).first()
        if found is None:
            raise CommandError(f"no instrument with PID {instrument!r} (register it with add_instrument)")
        if not user.strip():
            raise CommandError("--user must not be empty")
        zone = zoneinfo.ZoneInfo(found.timezone)
        start, end = _when(options["start"], zone), _when(options["end"], zone)
        if start and end and end < start:
            raise CommandError("--end is before --start")
        gap = timedelta(minutes=options["split_gap"]) if options["split_gap"] else None
        if options["tree"]:
            if start or end:
                raise CommandError("--start/--end cannot be combined with --tree")
            plans = ingest.plan_tree(root, split_gap=gap)
        else:
            plans = ingest.plan_folder(root, start=start, end=end, split_gap=gap)
        if not plans:
            raise CommandError(f"no files found in {folder}")

        if not get_user_model().objects.filter(username=user).exists():
            self.stderr.write(
                f"warning: no account is named {user!r}, so the record is visible to staff only. To share it, "
                f"choose who sees it on the record page (Visibility), or create the account {user!r} before importing.")
        details = {"sample": options["sample"], "project": options["project"], "purpose": options["purpose"]}
        outcomes = []
        progress = self._progress(len(plans))
        for plan in plans:
            outcome = ingest.import_plan(plan, found, user, **details)
            outcomes.append(outcome)
            if outcome.created and not options["no_build"]:
                self._build(outcome.session, options["timeout"])
            progress.update(1)
        progress.close()
        self._summary(outcomes)

    def _progress(self, total):
        from tqdm import tqdm

        return tqdm(total=total, unit="session", disable=total < 2, file=self.stderr._out)

    def _build(self, session: Session, timeout: float) -> None:
        builds.send_build(session.pk)  # the import has committed; without a broker the build runs right here
        wait_for_build(session, timeout)
        session.refresh_from_db()

    def _summary(self, outcomes) -> None:
        failed = 0
        for outcome in outcomes:
            session = outcome.session
            session.refresh_from_db()
            url = session.record_url
            note = "" if outcome.created else f" ({outcome.skipped_reason})"
            self.stdout.write(f"{session.pk} {session.state} {outcome.files} files{note}")
            if session.state == Session.State.ERROR:
                failed += 1
                self.stderr.write(f"  error: {session.error}")
            self.stdout.write(url)
        created = sum(o.created for o in outcomes)
        self.stdout.write(f"{len(outcomes)} sessions: {created} imported, {len(outcomes) - created} already present, {failed} failed")
        if failed:
            raise CommandError(f"{failed} session(s) failed to build")
