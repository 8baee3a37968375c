"""Subscription benchmark: the time one record.completed event takes to be matched against N subscriptions.

Run: `.venv/bin/python -m benchmarks.subscriptions [--sizes 10,100,1000] [--repeat 5]`. It creates the
database `lims_bench_subscriptions` (override with BENCH_SUBSCRIPTIONS_DATABASE_URL), migrates it, makes
one record with 20 files and N subscriptions of 20 people with varied queries (words, facets, ranges),
none of which match, so the figure is the matching cost alone (the usual case: most subscriptions do
not match a given record). Prints p50/p95 of `triggers.on_event` in ms and the cost per subscription.
"""
import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
DATABASE_URL = os.environ.get("BENCH_SUBSCRIPTIONS_DATABASE_URL",
                              "postgres://postgres@127.0.0.1:5432/lims_bench_subscriptions")

from benchmarks.common import ensure_database  # noqa: E402
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")

START = datetime(2025, 3, 14, 9, tzinfo=timezone.utc)
PEOPLE = 20
QUERIES = ["instrument:elsewhere", "voltage >= 400 kV", "project:nothing", "format:mrc titan", "zeolite crystals",
           "magnification 1k..2k", "user:nobody", "(eels OR eds) instrument:elsewhere", "-titan", "date:2020"]


def _record(instrument, account):
    from lims.records.models import Record
    from lims.search.index import index_record
    from lims.sessions.models import DataFile, Session

    session = Session.objects.create(id=uuid.uuid4(), instrument=instrument, user=account.username, account=account,
                                     start=START, end=START + timedelta(hours=1), state=Session.State.COMPLETED,
                                     project="benchmarks", sample="Pt/C", visibility="facility")
    DataFile.objects.bulk_create([
        DataFile(session=session, relative_path=f"image_{n:03d}.dm4", size=1000 + n, sha256=f"{n:064x}",
                 format="dm4", signal_type="image", acquired=START + timedelta(seconds=30 * n), extracted=True,
                 metadata={"acceleration_voltage": {"value": 300, "unit": "kV"}, "magnification": 20000 + n})
        for n in range(20)])
    record = Record.objects.create(session=session, title="Subscription benchmark", xml="", schema_version="1",
                                   built=START, file_count=20, formats=["dm4"], modes=["imaging"])
    index_record(record)
    return record


def _subscriptions(count: int, people: list):
    from lims.searches.models import SavedSearch
    from lims.subscriptions.models import Subscription

    Subscription.objects.all().delete()
    SavedSearch.objects.all().delete()
    searches = SavedSearch.objects.bulk_create([
        SavedSearch(owner=people[n % len(people)], name=f"search {n}", query=QUERIES[n % len(QUERIES)])
        for n in range(count)])
    Subscription.objects.bulk_create([Subscription(owner=s.owner, search=s, action="email") for s in searches])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ensure_database(DATABASE_URL)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from lims.events.models import Event
    from lims.instruments.models import Instrument
    from lims.subscriptions import triggers

    call_command("migrate", verbosity=0)
    instrument, _ = Instrument.objects.get_or_create(pid="titan", defaults={"name": "FEI Titan",
                                                                          "hostname": "TITAN-PC"})
    people = [User.objects.get_or_create(username=f"person{n}")[0] for n in range(PEOPLE)]
    record = _record(instrument, people[0])
    event = Event.objects.create(type=Event.Type.RECORD_COMPLETED, record=record, subject=f"record:{record.pk}")
    print("| subscriptions | p50 (ms) | p95 (ms) | per subscription (ms) |")
    print("|---:|---:|---:|---:|")
    for size in [int(s) for s in args.sizes.split(",")]:
        _subscriptions(size, people)
        times = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            assert triggers.on_event(event) == 0
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"| {size:,} | {statistics.median(times):.1f} | {p95:.1f} | {statistics.median(times) / size:.2f} |")


if __name__ == "__main__":
    main()
