"""Every change of a run's state, in one function (`move`), and the signals sent after it.

`move(run_id, to_state, from_states, **fields)` is a conditional update: it changes the row only if
it is still in one of `from_states`, so of two workers (or a worker and a cancel) exactly one wins.
A change to SUCCEEDED, FAILED or TIMED_OUT writes, in the same transaction, a `run.succeeded` or
`run.failed` event on the run's input record (`lims.events.outbox.emit`; subscriptions act on it).
Once the change is committed it sends `run_changed` for every state, plus `run_succeeded` or
`run_failed` (FAILED and TIMED_OUT) for final ones; receivers get `run` (fresh from the database)
and `state`. A run that ends without success loses the outputs a runner staged for it
(`derived.discard_staged`).
"""
import logging

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from lims.analysis.models import Run
from lims.events.models import Event
from lims.events.outbox import emit

log = logging.getLogger(__name__)

run_changed = Signal()  # every state change
run_succeeded = Signal()
run_failed = Signal()  # FAILED or TIMED_OUT

ALLOWED = {
    Run.State.RUNNING: [Run.State.QUEUED],
    Run.State.QUEUED: [Run.State.RUNNING],
    Run.State.SUCCEEDED: [Run.State.RUNNING],
    Run.State.FAILED: [Run.State.QUEUED, Run.State.RUNNING],
    Run.State.TIMED_OUT: [Run.State.RUNNING],
    Run.State.CANCELLED: [Run.State.QUEUED, Run.State.RUNNING],
}
EVENTS = {Run.State.SUCCEEDED: Event.Type.RUN_SUCCEEDED, Run.State.FAILED: Event.Type.RUN_FAILED,
          Run.State.TIMED_OUT: Event.Type.RUN_FAILED}


def _send(run_id, state: str) -> None:
    run = Run.objects.filter(pk=run_id).select_related("method", "record").first()
    if run is None:
        return
    receivers = [run_changed]
    if state == Run.State.SUCCEEDED:
        receivers.append(run_succeeded)
    elif state in (Run.State.FAILED, Run.State.TIMED_OUT):
        receivers.append(run_failed)
    for signal in receivers:
        for receiver, error in signal.send_robust(sender=Run, run=run, state=state):
            if isinstance(error, Exception):
                log.error("a receiver of %s for run %s failed: %r", state, run_id, error)


def _discard_staged(run_id) -> None:
    from lims.analysis.derived import discard_staged  # derived moves runs itself

    run = Run.objects.filter(pk=run_id, output_session__isnull=False).first()
    if run is not None:
        discard_staged(run)


def move(run_id, to_state: str, from_states=None, **fields) -> bool:
    """Move a run to `to_state` if it is still in `from_states` (default: every state allowed to reach it).

    Final states also set `finished`, RUNNING sets `started` and `heartbeat`. True when this call did it.
    """
    now = timezone.now()
    from_states = from_states or ALLOWED[to_state]
    if to_state in Run.FINAL_STATES:
        fields.setdefault("finished", now)
    if to_state == Run.State.RUNNING:
        fields.setdefault("started", now)
        fields.setdefault("heartbeat", now)
    with transaction.atomic():
        changed = Run.objects.filter(pk=run_id, state__in=from_states).update(state=to_state, state_changed=now,
                                                                              **fields)
        if changed and to_state in EVENTS:
            run = Run.objects.select_related("record").only("pk", "record").get(pk=run_id)
            emit(EVENTS[to_state], record=run.record, subject=f"run:{run.pk}", generation=run.record.generation,
                 run=str(run.pk), state=to_state)
        if changed:
            transaction.on_commit(lambda: _send(run_id, to_state))
        if changed and to_state in Run.FINAL_STATES and to_state != Run.State.SUCCEEDED:
            transaction.on_commit(lambda: _discard_staged(run_id))
    return changed == 1
