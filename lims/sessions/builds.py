"""Queueing record builds: the one entry point, an outbox for broker outages, and recovery of stalled builds.

A session owes a build from the moment it is ENDED: `Session.end_now` and `request_rebuild` clear
`build_queued` in the same statement. `queue_build` (the API's end, the sweep, a late upload, the
admin action and `build_records` all call it) hands the task to the broker once the caller's
transaction commits, without retrying, and only then sets `build_queued`. With the broker down
the request still succeeds; the owed build is sent by the next sweep once the broker is back.

Workers note progress on the session (`note_progress`): when a build starts, at each file, while a
long file is read, and at the final step. A worker killed mid-task leaves its message unacknowledged
in the broker until the visibility timeout (an hour); `requeue_stalled` hands such a build back
when it has shown no progress for BUILD_STALL_SECONDS while the broker's queues are empty (so its
messages are not merely waiting behind other work). Every build step can run twice, so the late
return of the old message does no harm. The build task is named, not imported: sessions do not
depend on the records app.
"""
import json
import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from lims.sessions.models import Session

log = logging.getLogger(__name__)

BUILD_TASK = "lims.records.tasks.build_session"
WAITING = [Session.State.ENDED, Session.State.BUILDING]


def _task(name: str):
    current_app.loader.import_default_modules()  # registers the apps' tasks (once)
    return current_app.tasks[name]


def send_build(session_id) -> bool:
    """Hand the build of an ENDED session to the broker now; False (and the build stays owed) when it is down."""
    try:
        _task(BUILD_TASK).apply_async((str(session_id),), retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep sends it later
        log.warning("the build of session %s stays owed: the broker did not take it (%s)", session_id, exc)
        return False
    Session.objects.filter(pk=session_id).update(build_queued=timezone.now())
    return True


def queue_build(session: Session, rebuild: bool = False, reextract: bool = False) -> bool:
    """(Re)queue the build of a session once the current transaction commits; the one way to do so.

    An ENDED session is queued as it is; with `rebuild`, a built, failed or building one is handed
    back first. `reextract` reads every file again instead of reusing what was read. Returns False
    when the session cannot be built now (it is ACTIVE, or built and `rebuild` is not given).
    """
    if rebuild and session.state in (*Session.FINAL_STATES, Session.State.BUILDING):
        session.request_rebuild()
    if session.state != Session.State.ENDED:
        return False
    if reextract:
        session.files.update(extracted=False)
    session_id = session.pk
    transaction.on_commit(lambda: send_build(session_id))
    return True


def note_progress(session_id) -> None:
    """A worker's sign of life for the build of this session."""
    Session.objects.filter(pk=session_id, state=Session.State.BUILDING).update(build_progress=timezone.now())


def build_queues() -> list[str]:
    """The queues of record builds: the default one and the heavy one (settings.CELERY_TASK_QUEUES)."""
    return [queue.name for queue in settings.CELERY_TASK_QUEUES]


def queued_messages() -> int:
    """Messages waiting in the broker's queues (0 when tasks run in-process)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return 0
    from kombu.exceptions import ChannelError

    total = 0
    with current_app.connection_for_read() as connection:
        channel = connection.default_channel
        for name in build_queues():
            try:
                total += channel.queue_declare(queue=name, passive=True).message_count
            except ChannelError:  # a queue nothing was ever sent to
                continue
    return total


# The tasks of a build; other messages (the scheduler's periodic housekeeping, analysis runs) never hold one up.
BUILD_TASKS = frozenset({"lims.records.tasks.build_session", "lims.records.tasks.extract_files",
                         "lims.records.tasks.finish_session"})
SCAN_LIMIT = 1000  # a longer queue is not read through: it counts as busy with builds


def queued_build_messages() -> int:
    """Build messages waiting in the broker's queues, the default and the heavy one (0 when tasks run in-process).

    A message the scheduler sent beside the sweep (another periodic task) must not make every sweep
    find the queues busy, so messages are told apart by their task name.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return 0
    total = 0
    with current_app.connection_for_read() as connection:
        client = connection.default_channel.client
        for name in build_queues():
            length = client.llen(name)
            if length > SCAN_LIMIT:
                total += length
                continue
            for raw in client.lrange(name, 0, -1):
                try:
                    task = json.loads(raw)["headers"]["task"]
                except (ValueError, KeyError, TypeError):
                    task = None  # a message we cannot read might be a build
                total += task is None or task in BUILD_TASKS
    return total


def send_owed_builds() -> int:
    """Send every build that is owed (the broker was down when it was asked for); returns how many went."""
    owed = Session.objects.filter(state=Session.State.ENDED, build_queued__isnull=True).values_list("pk", flat=True)
    return sum(send_build(session_id) for session_id in owed)


def silent(now=None):
    """Sessions waiting for a build that showed no sign of it for BUILD_STALL_SECONDS (owed builds apart)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.BUILD_STALL_SECONDS)
    owed = Q(state=Session.State.ENDED, build_queued__isnull=True)  # send_owed_builds' work
    return Session.objects.alias(seen=Coalesce("build_progress", "build_queued", "state_changed")).filter(
        ~owed, state__in=WAITING, seen__lt=cutoff
    )


def requeue_stalled(now=None) -> int:
    """Hand back builds silent for BUILD_STALL_SECONDS while no build waits in the queues; returns how many."""
    if queued_build_messages():
        return 0
    stalled = silent(now)
    count = 0
    for session_id in stalled.values_list("pk", flat=True):
        with transaction.atomic():
            # A session whose row is locked is being finished right now: not stalled.
            session = stalled.select_for_update(skip_locked=True).filter(pk=session_id).first()
            if session is None:
                continue
            since = session.build_progress or session.build_queued or session.state_changed  # before queueing resets them
            if queue_build(session, rebuild=True):
                log.warning("the build of session %s showed no progress since %s; queued again", session_id,
                            since.isoformat(timespec="seconds"))
                count += 1
    return count
