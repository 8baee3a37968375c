"""Liveness is judged by the server's clock; a logger's own times are kept, clamped to sane bounds."""
from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lims.sessions import sweeper
from lims.sessions.models import CLIENT_CLOCK_SKEW, Session


def _beat(client, session_id, at):
    return client.post(f"/api/v1/sessions/{session_id}/heartbeat/", {"at": at.isoformat()}, format="json")


def test_a_pc_two_hours_behind_keeps_its_live_session(titan, start, settings):
    settings.SESSION_SILENCE_MINUTES = 60
    behind = timezone.now() - timedelta(hours=2)
    data = start(start=behind.isoformat())
    assert _beat(titan, data["id"], behind + timedelta(minutes=1)).status_code == 200

    assert sweeper.sweep()["ended"] == 0
    session = Session.objects.get(pk=data["id"])
    assert session.state == Session.State.ACTIVE
    assert session.last_heartbeat == behind + timedelta(minutes=1)  # its own clock, kept for the record


def test_a_heartbeat_dated_9999_is_clamped_and_cannot_keep_a_silent_session_open(titan, start, settings):
    settings.SESSION_SILENCE_MINUTES = 60
    data = start()
    response = _beat(titan, data["id"], timezone.now().replace(year=9999))
    assert response.status_code == 200
    assert parse_datetime(response.json()["last_heartbeat"]) <= timezone.now() + CLIENT_CLOCK_SKEW

    # The logger then goes silent; an hour and a bit later by the server's clock, the sweep ends it.
    later = timezone.now() + timedelta(minutes=61)
    assert sweeper.sweep(later)["ended"] == 1
    session = Session.objects.get(pk=data["id"])
    assert session.state != Session.State.ACTIVE
    assert session.end <= timezone.now() + CLIENT_CLOCK_SKEW


def test_a_start_in_the_far_future_is_pulled_back_to_now(titan, start):
    data = start(start="9999-01-01T00:00:00Z")
    started = parse_datetime(data["start"])
    assert started <= timezone.now() + CLIENT_CLOCK_SKEW
    assert started.year == timezone.now().year


def test_an_end_before_the_start_is_moved_to_the_start(titan, start):
    data = start(start="2026-11-22T09:00:00Z")
    response = titan.post(f"/api/v1/sessions/{data['id']}/end/", {"end": "2020-01-01T00:00:00Z"}, format="json")
    assert response.status_code == 200
    assert response.json()["end"] == "2026-11-22T09:00:00Z"
