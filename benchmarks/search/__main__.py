"""Search benchmark: 100,000 records on PostgreSQL, the product's search against an indexed keyword count.

Run: `.venv/bin/python -m benchmarks.search [--records 100000] [--repeat 40]`. It creates the database
`lims_bench_search` (override with BENCH_SEARCH_DATABASE_URL), migrates it and, unless it already
holds that many records, bulk-loads synthetic records with COPY: sessions, records, the search
text and tsvector, facet rows and unit-normalised parameters. Then it times, as a logged-in user
with group mates (so the visibility rule is part of every query):

- baseline: `count(*)` of one keyword on the GIN-indexed tsvector (the brief's reference);
- the product's `search()` for keyword + facet counts + a unit range, page of 20;
- the same with only a keyword, only a range, a keyword + facet filter;
- the naive way: one count query per facet plus the total and the page.

Keywords rotate over a fixed list so caches do not make one query look better. Prints p50/p95 in ms.
"""
import argparse
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
DATABASE_URL = os.environ.get("BENCH_SEARCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lims_bench_search")

from benchmarks.common import ensure_database  # noqa: E402
os.environ["DATABASE_URL"] = DATABASE_URL
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
BASELINE_SQL = "SELECT count(*) FROM lims_records_recordsearch WHERE vector @@ plainto_tsquery('simple', %s)"
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
    instruments = [Instrument.objects.get_or_create(pid=pid, defaults={"name": pid.title()})[0] for pid in INSTRUMENTS]
    return users, instruments


def _copy(cursor, table: str, columns: str, rows) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _generate(count: int, already: int = 0) -> None:
    """Bulk-load `count` synthetic records with COPY (about a minute per 100,000 here)."""
    from django.db import connection

    from lims.records.query import tokenize_text

    rng = random.Random(SEED + already)
    users, instruments = _people()
    start0 = datetime(2019, 1, 1, tzinfo=timezone.utc)
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("SELECT coalesce(max(id), 0) FROM lims_records_record")
        next_id = cursor.fetchone()[0] + 1
        for batch_start in range(0, count, BATCH):
            sessions, records, texts, facets, parameters = [], [], [], [], []
            for _ in range(min(BATCH, count - batch_start)):
                record_id, session_id = next_id, uuid.UUID(int=rng.getrandbits(128), version=4)
                next_id += 1
                user = rng.choice(users)
                instrument = rng.choice(instruments)
                start = start0 + timedelta(minutes=rng.randrange(7 * 365 * 24 * 60))
                project = f"project-{rng.randrange(30):02d}" if rng.random() < 0.7 else ""
                words = rng.sample(WORDS, 4)
                title = f"{' '.join(words[:3]).capitalize()} on {instrument.pid}"
                visibility = rng.choices(["private", "facility", "public"], [0.6, 0.3, 0.1])[0]
                formats = sorted(set(rng.choices(FORMATS, k=rng.randint(1, 3))))
                modes = sorted(set(rng.choices(MODES, k=rng.randint(1, 2))))
                sessions.append((session_id, instrument.pk, user.username, user.pk, start, start + timedelta(hours=2),
                                 start, "", "", "", project, "", "", words[3], visibility, "COMPLETED", "", start, 1,
                                 start))
                records.append((record_id, session_id, title, "<Experiment/>", EMPTY_DATA, "1.0", rng.randint(1, 400),
                                0, len(modes), _json(formats), _json(modes), start, start))
                files = " ".join(f"{words[0]}_{n:03d}.{formats[0]}" for n in range(3))
                tokens = tokenize_text(" ".join([title, words[3], user.username, instrument.pid, project, files]))
                facet_values = {("instrument", instrument.pid), ("experimenter", user.username),
                                ("year", f"{start:%Y}"), ("month", f"{start:%Y-%m}")}
                facet_values |= {("project", project)} if project else set()
                facet_values |= {("format", f) for f in formats} | {("mode", m) for m in modes}
                facets.extend((record_id, f, v) for f, v in facet_values)
                texts.append((record_id, start, " " + " ".join(dict.fromkeys(tokens)) + " ", visibility, user.pk,
                              _json(sorted(f"{f}:{v}" for f, v in facet_values))))
                voltage = rng.choice(VOLTAGES_KV) * 1000.0
                pixel = 10 ** rng.uniform(-11, -7)
                parameters.extend([(record_id, "acceleration_voltage", voltage),
                                   (record_id, "pixel_size_x", pixel), (record_id, "pixel_size_y", pixel),
                                   (record_id, "magnification", float(round(10 ** rng.uniform(2, 6)))),
                                   (record_id, "working_distance", rng.uniform(0.002, 0.02))])
            _copy(cursor, "lims_sessions_session",
                  "id, instrument_id, \"user\", account_id, start, \"end\", last_heartbeat, sample, sample_id, "
                  "sample_description, project, purpose, collaborators, notes, visibility, state, error, "
                  "state_changed, build_attempts, created", sessions)
            _copy(cursor, "lims_records_record",
                  "id, session_id, title, xml, data, schema_version, file_count, error_count, activity_count, formats, "
                  "modes, created, built", records)
            _copy(cursor, "lims_records_recordsearch", "record_id, start, text, visibility, account_id, facets", texts)
            _copy(cursor, "lims_records_recordfacet", "record_id, facet, value", facets)
            _copy(cursor, "lims_records_recordparameter", "record_id, key, value", parameters)
            print(f"  loaded {batch_start + len(records):,} records", flush=True)
        cursor.execute("SELECT setval(pg_get_serial_sequence('lims_records_record', 'id'), %s)", (next_id,))
        cursor.execute("UPDATE lims_records_recordsearch SET vector = to_tsvector('simple', text) WHERE vector IS NULL")
        cursor.execute("ANALYZE")


def _fill_parameter_copies() -> None:
    """Copy each record's parameter rows onto its search row as {key: [values]} (what index_record does)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE lims_records_recordsearch s SET parameters = g.copy FROM ("
            " SELECT record_id, jsonb_object_agg(key, vals) AS copy FROM ("
            "  SELECT record_id, key, jsonb_agg(value ORDER BY value) AS vals FROM lims_records_recordparameter"
            "  GROUP BY record_id, key) k GROUP BY record_id) g "
            "WHERE s.record_id = g.record_id AND s.parameters = '{}'::jsonb"
        )
        if cursor.rowcount:
            cursor.execute("VACUUM ANALYZE lims_records_recordsearch")


def _json(values) -> str:
    import json

    return json.dumps(values)


def _timed(function, repeat: int) -> list:
    times = []
    for number in range(repeat):
        began = time.perf_counter()
        function(number)
        times.append((time.perf_counter() - began) * 1000)
    return times


def _naive(user, text: str):
    """One count query per facet, the total and the page: what the product avoids."""
    from django.db.models import Count

    from lims.records.models import RecordFacet
    from lims.records.permissions import searchable_records
    from lims.records.query import parse
    from lims.records.search import FACETS, filter_records

    matching = filter_records(searchable_records(user), parse(text), "postgresql")
    for facet in FACETS:
        list(RecordFacet.objects.filter(facet=facet, record_id__in=matching.values("record_id")).values("value")
             .annotate(n=Count("*")).order_by())
    matching.count()
    list(matching.order_by("-start")[:20])


def _percentiles(times: list) -> tuple:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    args = parser.parse_args()
    ensure_database(DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lims.records.models import Record
    from lims.records.search import search

    call_command("migrate", verbosity=0)
    have = Record.objects.count()
    if have < args.records:
        began = time.perf_counter()
        print(f"Loading {args.records - have:,} records into {DATABASE_URL.rsplit('/', 1)[1]} ...", flush=True)
        _generate(args.records - have, have)
        _fill_parameter_copies()
        print(f"Loaded in {time.perf_counter() - began:.0f} s", flush=True)
    _fill_parameter_copies()
    from django.contrib.auth.models import User

    user = User.objects.get(username="user01")
    keyword = lambda n: KEYWORDS[n % len(KEYWORDS)]  # noqa: E731

    def baseline(n):
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, [keyword(n)])
            cursor.fetchone()

    cases = [
        ("baseline: indexed keyword count", baseline),
        ("search: keyword + facets + range, page of 20",
         lambda n: search(user, f"{keyword(n)} voltage >= 200 kV")),
        ("search: keyword + facets, page of 20", lambda n: search(user, keyword(n))),
        ("search: range only (pixel size < 1 nm)", lambda n: search(user, "pixel size < 1 nm")),
        ("search: keyword + facet filter", lambda n: search(user, f"{keyword(n)} instrument:titan")),
        ("naive: keyword + range, one count per facet", lambda n: _naive(user, f"{keyword(n)} voltage >= 200 kV")),
    ]
    for _, function in cases:  # warm up caches and plans once
        for n in range(len(KEYWORDS)):
            function(n)
    example = search(user, f"{KEYWORDS[0]} voltage >= 200 kV")
    print(f"\n{Record.objects.count():,} records; e.g. '{KEYWORDS[0]} voltage >= 200 kV' -> {example.total:,} visible "
          f"matches for user01 ({args.repeat} runs per row, keywords rotating over {len(KEYWORDS)})\n")
    print("| query | p50 (ms) | p95 (ms) | p95 / baseline p95 |")
    print("|---|---:|---:|---:|")
    base_p95 = None
    for label, function in cases:
        p50, p95 = _percentiles(_timed(function, args.repeat))
        base_p95 = base_p95 or p95
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {p95 / base_p95:.1f}x |", flush=True)


if __name__ == "__main__":
    main()
