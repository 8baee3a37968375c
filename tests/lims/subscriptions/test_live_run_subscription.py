"""A subscription that runs a method, through live processes (gunicorn, Celery workers for `celery` and
`analysis`, beat): one run per matching record, none for another instrument, none more after a rebuild, a
second dispatch of the events or a delivery performed again; and the Python client running a method."""
import sys

import pytest
from celery import Celery

from lims.analysis.models import Run
from lims.events.models import Event
from lims.searches.models import SavedSearch
from lims.sessions.models import Session
from lims.subscriptions.models import Delivery, Subscription
from tests.conftest import REPO
from tests.data import make_analysis
from tests.live import free_port, run_celery_beat, run_celery_worker, run_gunicorn, server_env, wait_for

pytestmark = pytest.mark.live


def _session(make_session, instrument, folder, account):
    folder.mkdir()
    path = make_analysis.make_fringes_dm3(folder)
    return make_session(instrument, {path.name: path.read_bytes()}, visibility="private", account=account)


def _settled(sessions) -> bool:
    """Every session built, every event dispatched, every delivery done and every run ended."""
    return (not Session.objects.exclude(state=Session.State.COMPLETED).filter(pk__in=[s.pk for s in sessions])
            .exists()
            and not Session.objects.exclude(state=Session.State.COMPLETED).filter(derived_by__isnull=False).exists()
            and not Event.objects.filter(dispatched__isnull=True).exists()
            and not Delivery.objects.exclude(state=Delivery.State.DONE).exists()
            and not Run.objects.exclude(state__in=Run.FINAL_STATES).exists())


def test_a_run_subscription_runs_once_per_matching_record(cast, transactional_db, make_session, broker_url,
                                                          settings, tmp_path):
    from django.db import connection

    search = SavedSearch.objects.create(owner=cast.alice, name="titan dm3", query="instrument:titan format:dm3")
    subscription = Subscription.objects.create(owner=cast.alice, search=search, action="run",
                                               params={"method": "fft-power-spectrum", "params": {}})
    titan = _session(make_session, cast.titan, tmp_path / "titan", cast.alice)
    quanta = _session(make_session, cast.quanta, tmp_path / "quanta", cast.alice)
    env = server_env(connection.settings_dict, broker_url=broker_url, data_root=settings.DATA_ROOT,
                     SWEEP_INTERVAL_SECONDS=1, OUTBOX_INTERVAL_SECONDS=1)
    sender = Celery(broker=broker_url, set_as_current=False)
    with run_gunicorn(env, free_port(), workers=1, log_dir=tmp_path) as web, \
            run_celery_worker(env, queues="celery", hostname="builds@test", log_dir=tmp_path), \
            run_celery_worker(env, queues="analysis", hostname="analysis@test", log_dir=tmp_path), \
            run_celery_beat(env, tmp_path / "beat", log_dir=tmp_path):
        wait_for(lambda: Run.objects.exists() and _settled([titan, quanta]), 240, what="the subscription's run")
        run = Run.objects.get()
        assert run.state == Run.State.SUCCEEDED, run.error + run.log
        assert run.record == titan.record and run.requested_by == cast.alice
        assert run.output_record.generation == 1  # its own record.completed triggers nothing
        delivery = Delivery.objects.get()
        assert run.request_key == f"subscription-delivery:{delivery.pk}"

        # A rebuild completes the record again; a second dispatch of every event; the delivery performed again.
        titan.request_rebuild()
        wait_for(lambda: Event.objects.filter(type=Event.Type.RECORD_COMPLETED, record=titan.record).count() == 2,
                 120, what="the rebuild's event")
        Event.objects.update(dispatched=None)
        for event_id in Event.objects.values_list("pk", flat=True):
            sender.send_task("lims.events.tasks.dispatch_event", (event_id,))
        Delivery.objects.update(state=Delivery.State.PENDING)
        sender.send_task("lims.subscriptions.tasks.perform_delivery", (delivery.pk,))
        wait_for(lambda: _settled([titan, quanta]), 120, what="the dispatches")
        assert Run.objects.count() == 1 and Delivery.objects.count() == 1
        assert not Run.objects.filter(record=quanta.record).exists()

        # The client runs a method and waits for its result.
        sys.path.insert(0, str(REPO / "client"))
        try:
            from lims_client import Client
        finally:
            sys.path.remove(str(REPO / "client"))
        with Client(web.url, cast.tokens["alice"]) as client:
            method = client.methods.get("fft-power-spectrum")
            mine = method.run(quanta.record.pk, params={"window": False}).wait(timeout=120)
            assert mine.state == "SUCCEEDED" and not mine.reused
            assert "fringes-fft.json" in {f.name for f in mine.result.files}
    assert subscription.deliveries.count() == 1
