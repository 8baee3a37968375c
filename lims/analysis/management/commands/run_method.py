"""`manage.py run_method SLUG --record ID [--files ID ...] --params JSON [--wait]`: run a method on a record.

Prints the run id and, with --wait, the derived record's URL; exits non-zero when the run fails.
"""
import json
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lims.analysis import services
from lims.analysis.models import Run


class Command(BaseCommand):
    help = "Run a registered method on a record and print the run id (and, with --wait, the derived record's URL)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the method's version here, not Django's
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--record", type=int, required=True)
        parser.add_argument("--files", type=int, nargs="*", default=None)
        parser.add_argument("--params", default="{}", help="parameters as JSON")
        parser.add_argument("--version", dest="method_version", default=None)
        parser.add_argument("--user", default=None, help="run as this account (default: as staff, seeing everything)")
        parser.add_argument("--recompute", action="store_true", help="compute again even if an identical result exists")
        parser.add_argument("--wait", action="store_true", help="wait for the run to end")
        parser.add_argument("--timeout", type=float, default=None, help="seconds to wait at most")

    def handle(self, *args, slug, record, files, params, method_version, user, recompute, wait, timeout, **options):
        try:
            params = json.loads(params)
        except ValueError as exc:
            raise CommandError(f"--params is not JSON: {exc}") from None
        account = self._account(user)
        try:
            run, reused = services.submit(account, slug, record, files, params, version=method_version,
                                          reuse=not recompute)
        except services.SubmissionError as exc:
            raise CommandError("; ".join(f"{field}: {message}" for field, message in exc.errors.items())) from None
        self.stdout.write(str(run.pk))
        if reused:
            self.stderr.write("an identical earlier result is reused (use --recompute to compute again)")
        if not wait:
            return
        run = self._wait(run, timeout)
        if run.state != Run.State.SUCCEEDED:
            raise CommandError(f"run {run.pk} {run.state}: {run.error or run.message}")
        record = self._wait_for_record(run, timeout)
        self.stdout.write(f"{settings.SITE_URL}/records/{record.pk}/")

    def _account(self, username):
        model = get_user_model()
        if username:
            found = model.objects.filter(username=username).first()
            if found is None:
                raise CommandError(f"--user {username!r}: no such account")
            return found

        class Staff:  # the command is the administrator's: it sees every record
            is_authenticated = True
            is_staff = True
            pk = None

        return Staff()

    def _wait(self, run, timeout):
        deadline = time.monotonic() + timeout if timeout else None
        while True:
            run.refresh_from_db()
            if run.is_final:
                return run
            if deadline and time.monotonic() > deadline:
                raise CommandError(f"run {run.pk} still {run.state} after {timeout} s")
            time.sleep(0.5)

    def _wait_for_record(self, run, timeout):
        from lims.sessions.models import Session

        deadline = time.monotonic() + (timeout or 600)
        while time.monotonic() < deadline:
            session = Session.objects.get(pk=run.output_session_id)
            if session.state in Session.FINAL_STATES:
                record = run.output_record if session.state == Session.State.COMPLETED else None
                if record is None:
                    raise CommandError(f"the derived record of run {run.pk} was not built: {session.error}")
                return record
            time.sleep(0.5)
        raise CommandError(f"the derived record of run {run.pk} is still being built")
