"""Stall recovery tells build messages from the scheduler's other periodic tasks waiting in the queue."""
import pytest
from celery import Celery

from lims.sessions import builds

pytestmark = pytest.mark.live


@pytest.fixture
def on_broker(settings, broker_url):
    """The process's Celery app reading the test broker, as a worker's does."""
    from lims.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    before = app.conf.broker_url
    app.conf.broker_url = broker_url
    yield Celery(broker=broker_url, set_as_current=False)
    app.conf.broker_url = before


def test_only_build_messages_count_as_builds_waiting(on_broker):
    assert builds.queued_build_messages() == 0

    on_broker.send_task("lims.analysis.tasks.sweep_runs")
    on_broker.send_task("lims.sessions.tasks.sweep_sessions")
    assert builds.queued_build_messages() == 0
    assert builds.queued_messages() == 2

    on_broker.send_task("lims.records.tasks.build_session", ("a-session",))
    assert builds.queued_build_messages() == 1


def test_build_messages_waiting_in_the_heavy_queue_count_too(on_broker):
    on_broker.send_task("lims.records.tasks.extract_files", ([1],), queue="heavy")
    on_broker.send_task("lims.sessions.tasks.sweep_sessions")

    assert builds.queued_build_messages() == 1
    assert builds.queued_messages() == 2
