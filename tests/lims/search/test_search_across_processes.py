"""A record built, shared, hidden or deleted in one process is found (or not) by the next search in a
running gunicorn, whose engine catches up from the change counter; counts stay exact while records
are indexed from several threads at once."""
import json
import threading
import urllib.parse

import pytest
from record_factory import make_record

from tests.live import http_get, wait_for

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
WRITERS, EACH = 3, 8


def _count(server, q: str = "") -> int:
    status, body = http_get(f"{server.url}/api/v1/records/?" + urllib.parse.urlencode({"q": q}), timeout=30)
    assert status == 200, body[:300]
    return json.loads(body)["count"]


def test_the_server_sees_each_change_on_its_next_search(server, cast):
    assert _count(server) == 1  # anonymous: the public pollen record
    record = make_record(cast.quanta, "dave", None, title="Freshly public", visibility="public")
    assert _count(server, "freshly") == 1
    session = record.session
    session.visibility = "private"
    session.save()
    assert _count(server, "freshly") == 0 and _count(server) == 1
    session.visibility = "public"
    session.save()
    assert _count(server, "freshly") == 1
    record.delete()
    assert _count(server, "freshly") == 0 and _count(server) == 1


def test_counts_stay_exact_while_several_writers_index_at_once(server, cast):
    from django.db import connections

    errors = []

    def write(number: int) -> None:
        try:
            for index in range(EACH):
                make_record(cast.titan, "dave", None, title=f"Batch {number} {index}", visibility="public")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    seen = []
    while any(thread.is_alive() for thread in threads):
        seen.append(_count(server, "batch"))
    for thread in threads:
        thread.join()
    assert errors == []
    assert seen == sorted(seen)  # never goes back
    wait_for(lambda: _count(server, "batch") == WRITERS * EACH, timeout=30, what="every record counted")
    # Each of the two server processes has its own engine; both must agree.
    assert {_count(server, "batch") for _ in range(6)} == {WRITERS * EACH}
    assert _count(server, "instrument:titan batch") == WRITERS * EACH
