"""Two starts racing: the database's unique constraint turns the loser's insert into the same 409."""
import threading
import time
import uuid

import pytest
from django.db import connection, connections, transaction

from lims.sessions.models import Session

DEADLINE = 30.0


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps one snapshot of the statistics; drop it to see now.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_it_turns_a_start_that_raced_past_the_check_into_the_409(transactional_db, titan, cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL to hold a row lock between two connections")
    winner = uuid.uuid4()
    result = {}

    def start_loser():
        try:
            result["response"] = titan.post("/api/v1/sessions/", {"id": str(uuid.uuid4()), "user": "bob"},
                                            format="json")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            result["error"] = repr(exc)
        finally:
            connections.close_all()

    with transaction.atomic():
        # The winner's row is inserted but not committed: the loser's check cannot see it, and
        # its insert blocks on the unique index until the winner commits.
        Session.objects.create(id=winner, instrument=cast.titan, user="alice")
        loser = threading.Thread(target=start_loser)
        loser.start()
        deadline = time.monotonic() + DEADLINE
        while not _waiting_on_a_lock():
            assert time.monotonic() < deadline, "the second start never reached the database constraint"
            time.sleep(0.05)
    loser.join(DEADLINE)
    assert "response" in result, result
    response = result["response"]
    assert response.status_code == 409
    assert response.json()["code"] == "session_open"
    assert response.json()["open_session"] == str(winner)
    assert list(Session.objects.values_list("pk", flat=True)) == [winner]
