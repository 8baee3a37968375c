"""Search benchmark: every kind of query through the API at 10^5 or 10^6 records, against an indexed keyword count.

Run: `.venv/bin/python -m benchmarks.search [--records 100000] [--repeat 40]`. It creates the database
`bench_search_<records>` (override with BENCH_SEARCH_DATABASE_URL), migrates it and, unless it already
holds that many records, bulk-loads synthetic records with COPY: sessions, records and their search
documents (what `index_record` writes), then the floor table. Then it times, through the API
(`GET /api/v1/records/` with Django's test client, DRF and serialisation included) as a logged-in user
with group mates (so the visibility rule is part of every query):

- floor: `count(*)` of one keyword on a GIN-indexed tsvector, in a table shaped like the search rows
  the product used before (text, tsvector, visibility, account, facets, parameters);
- the list with no query (all facets, the newest 20): what everyone sees first;
- keyword; keyword + range; range only; facet only; keyword + facet; a date range; a negation.

Keywords rotate over a fixed list so caches do not make one query look better. Prints p50/p95 in ms,
the time the engine took to load from the database and from its snapshot, and its memory.
"""
import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from benchmarks.common import ensure_database  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")

SEED = 20251114
BATCH = 10_000
WORDS = (
    "platinum gold silver palladium silicon germanium graphene zeolite perovskite catalyst nanoparticle nanowire "
    "cathode anode polymer protein virus membrane alloy steel titanium oxide nitride carbide quantum film lamella "
    "grain boundary dislocation interface precipitate twin domain ferroelectric magnetic skyrmion battery lithium "
    "sodium copper aluminium nickel cobalt iron ceramic glass crystal amorphous thin section cryo tomography "
    "diffraction spectroscopy mapping eels eds haadf stem hrtem survey overview tilt series beam sensitive"
).split()
KEYWORDS = ["platinum", "zeolite", "cathode", "graphene", "lithium", "skyrmion", "perovskite", "steel", "cryo", "eels"]
INSTRUMENTS = ["titan", "talos", "quanta", "helios", "krios"]
FORMATS = ["dm3", "dm4", "tiff_fei", "tiff_zeiss", "ser", "msa", "spc", "png", "pcd", "txt"]
MODES = ["imaging", "spectroscopy", "diffraction", "spectrum_imaging"]
VOLTAGES_KV = [1, 2, 5, 10, 15, 20, 30, 80, 120, 200, 300]
REPEAT = 40
FLOOR_TABLE = "bench_floor_search"
FLOOR_SQL = f"SELECT count(*) FROM {FLOOR_TABLE} WHERE vector @@ plainto_tsquery('simple', %s)"
EMPTY_DATA = '{"activities": [], "preview_file": null}'


def _people():
    from django.contrib.auth.models import Group, User

    from lims.instruments.models import Instrument

    group, _ = Group.objects.get_or_create(name="microscopy")
    users = []
    for number in range(50):
        user, _ = User.objects.get_or_create(username=f"user{number:02d}")
        if number < 5:
            user.groups.add(group)
        users.append(user)
    instruments = [Instrument.objects.get_or_create(pid=pid, defaults={"name": f"FEI {pid.title()}"})[0]
                   for pid in INSTRUMENTS]
    return users, instruments


def _copy(cursor, table: str, columns: str, rows) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _document(rng, start, user, instrument, project, words, formats, modes):
    """Text, facets and numbers as `lims.search.document` makes them for such a record."""
    from lims.search.document import SEPARATOR
    from lims.search.query import tokenize_text

    title = f"{' '.join(words[:3]).capitalize()} on {instrument.pid}"
    files = [f"{words[0]}_{n:03d}.{formats[0]}" for n in range(3)]
    parts = [title, words[3], project, user.username, instrument.pid, instrument.name, *files]
    runs = list(dict.fromkeys(" ".join(tokenize_text(p)) for p in parts if p))
    facets = {("instrument", instrument.pid), ("experimenter", user.username),
              ("year", f"{start:%Y}"), ("month", f"{start:%Y-%m}"), ("extension", formats[0])}
    facets |= {("project", project)} if project else set()
    facets |= {("format", f) for f in formats} | {("mode", m) for m in modes}
    pixel = float(f"{10 ** rng.uniform(-11, -7):.12g}")
    numbers = {"acceleration_voltage": [rng.choice(VOLTAGES_KV) * 1000.0], "magnification": [
        float(round(10 ** rng.uniform(2, 6)))], "pixel_size_x": [pixel], "pixel_size_y": [pixel],
        "working_distance": [float(f"{rng.uniform(0.002, 0.02):.12g}")]}
    return title, " " + SEPARATOR.join(runs) + " ", sorted(list(f) for f in facets), numbers


def _generate(count: int, already: int = 0) -> None:
    """Bulk-load `count` synthetic records and their search documents with COPY."""
    from django.db import connection

    from lims.search.models import SearchCounter, SearchDocument

    rng = random.Random(SEED + already)
    users, instruments = _people()
    start0 = datetime(2019, 1, 1, tzinfo=timezone.utc)
    documents = SearchDocument._meta.db_table
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("SELECT coalesce(max(id), 0) FROM lims_records_record")
        next_id = cursor.fetchone()[0] + 1
        cursor.execute(f"SELECT coalesce(max(version), 0) FROM {documents}")
        version = cursor.fetchone()[0]
        for batch_start in range(0, count, BATCH):
            sessions, records, docs = [], [], []
            for _ in range(min(BATCH, count - batch_start)):
                record_id, session_id = next_id, uuid.UUID(int=rng.getrandbits(128), version=4)
                next_id += 1
                version += 1
                user = rng.choice(users)
                instrument = rng.choice(instruments)
                start = start0 + timedelta(minutes=rng.randrange(7 * 365 * 24 * 60))
                project = f"project-{rng.randrange(30):02d}" if rng.random() < 0.7 else ""
                words = rng.sample(WORDS, 4)
                visibility = rng.choices(["private", "facility", "public"], [0.6, 0.3, 0.1])[0]
                formats = sorted(set(rng.choices(FORMATS, k=rng.randint(1, 3))))
                modes = sorted(set(rng.choices(MODES, k=rng.randint(1, 2))))
                title, text, facets, numbers = _document(rng, start, user, instrument, project, words,
                                                         formats, modes)
                sessions.append((session_id, instrument.pk, user.username, user.pk, start, start + timedelta(hours=2),
                                 start, "", "", "", project, "", "", words[3], visibility, "COMPLETED", "", start, 1,
                                 start))
                records.append((record_id, session_id, title, "<Experiment/>", EMPTY_DATA, "1.0", rng.randint(1, 400),
                                0, len(modes), json.dumps(formats), json.dumps(modes), start, start))
                docs.append((record_id, version, False, start, start.date().toordinal(), "UTC", visibility, user.pk,
                             text, json.dumps(facets), json.dumps(numbers)))
            _copy(cursor, "lims_sessions_session",
                  "id, instrument_id, \"user\", account_id, start, \"end\", last_heartbeat, sample, sample_id, "
                  "sample_description, project, purpose, collaborators, notes, visibility, state, error, "
                  "state_changed, build_attempts, created", sessions)
            _copy(cursor, "lims_records_record",
                  "id, session_id, title, xml, data, schema_version, file_count, error_count, activity_count, formats, "
                  "modes, created, built", records)
            _copy(cursor, documents, "record_id, version, removed, start, day, timezone, visibility, account_id, text, "
                                     "facets, numbers", docs)
            print(f"  loaded {batch_start + len(records):,} records", flush=True)
        cursor.execute("SELECT setval(pg_get_serial_sequence('lims_records_record', 'id'), %s)", (next_id,))
    counter = SearchCounter.objects.first() or SearchCounter()
    counter.value = version
    counter.save()


def _build_floor() -> None:
    """The floor's table: the search rows as the product kept them before, with a GIN-indexed tsvector."""
    from django.db import connection

    from lims.search.models import SearchDocument

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(
            f"CREATE TABLE {FLOOR_TABLE} AS SELECT record_id, start, text, to_tsvector('simple', replace(text, '|', ' '))"
            f" AS vector, visibility, account_id, facets, numbers AS parameters FROM {SearchDocument._meta.db_table}")
        cursor.execute(f"CREATE INDEX {FLOOR_TABLE}_gin ON {FLOOR_TABLE} USING gin (vector)")
        cursor.execute(f"VACUUM ANALYZE {FLOOR_TABLE}")


def _timed(function, repeat: int) -> list:
    times = []
    for number in range(repeat):
        began = time.perf_counter()
        function(number)
        times.append((time.perf_counter() - began) * 1000)
    return times


def _percentiles(times: list) -> tuple:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _rss_mib() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2 ** 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="How many records the database should hold.")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="Timed runs per query kind.")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_SEARCH_DATABASE_URL",
                                  f"postgres://postgres@127.0.0.1:5432/bench_search_{args.records}")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DATA_ROOT", str(REPO / "var" / "bench" / f"search-{args.records}"))
    ensure_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from lims.records.models import Record

    call_command("migrate", verbosity=0)
    have = Record.objects.count()
    if have < args.records:
        began = time.perf_counter()
        print(f"Loading {args.records - have:,} records into {database_url.rsplit('/', 1)[1]} ...", flush=True)
        _generate(args.records - have, have)
        _build_floor()
        print(f"Loaded in {time.perf_counter() - began:.0f} s", flush=True)
    from django.contrib.auth.models import User

    from lims.search.live import forget_engines, live, snapshot_path

    client = Client()
    client.force_login(User.objects.get(username="user01"))
    keyword = lambda n: KEYWORDS[n % len(KEYWORDS)]  # noqa: E731

    def floor(n):
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [keyword(n)])
            cursor.fetchone()

    def api(q):
        def call(n):
            response = client.get("/api/v1/records/", {"q": q(n)})
            assert response.status_code == 200, response.content[:300]
        return call

    snapshot = snapshot_path()
    snapshot.unlink(missing_ok=True)
    before = _rss_mib()
    began = time.perf_counter()
    live().current()
    load_seconds, engine_mib = time.perf_counter() - began, _rss_mib() - before
    forget_engines()
    began = time.perf_counter()
    live().current()
    snapshot_seconds = time.perf_counter() - began
    assert live().source == "snapshot"
    cases = [
        ("floor: indexed keyword count", floor),
        ("list with no query (all facets, newest 20)", api(lambda n: "")),
        ("keyword", api(keyword)),
        ("keyword + range (voltage >= 200 kV)", api(lambda n: f"{keyword(n)} voltage >= 200 kV")),
        ("range only (pixel size < 1 nm)", api(lambda n: "pixel size < 1 nm")),
        ("facet only (instrument:titan)", api(lambda n: "instrument:titan")),
        ("keyword + facet", api(lambda n: f"{keyword(n)} instrument:titan")),
        ("date range (date:2021-03..2021-09)", api(lambda n: "date:2021-03..2021-09")),
        ("negation (instrument:titan -keyword)", api(lambda n: f"instrument:titan -{keyword(n)}")),
    ]
    for _, function in cases:  # warm up caches and plans once
        for n in range(len(KEYWORDS)):
            function(n)
    example = client.get("/api/v1/records/", {"q": f"{KEYWORDS[0]} voltage >= 200 kV"}).json()["count"]
    print(f"\n{Record.objects.count():,} records; the engine loaded from the database in {load_seconds:.1f} s "
          f"(about {engine_mib:.0f} MiB more resident memory), from its snapshot ({snapshot.stat().st_size / 2**20:.0f} MiB) "
          f"in {snapshot_seconds:.1f} s; e.g. '{KEYWORDS[0]} voltage >= 200 kV' -> {example:,} visible matches for user01 "
          f"({args.repeat} runs per row, keywords rotating over {len(KEYWORDS)})\n")
    print("| query | p50 (ms) | p95 (ms) | p95 / floor p95 |")
    print("|---|---:|---:|---:|")
    floor_p95 = None
    for label, function in cases:
        p50, p95 = _percentiles(_timed(function, args.repeat))
        floor_p95 = floor_p95 or p95
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {p95 / floor_p95:.1f}x |", flush=True)


if __name__ == "__main__":
    main()
