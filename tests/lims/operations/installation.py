"""Helpers for the operations tests: recent sessions, the files of a data root, manage.py in its own process."""
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from tests.live import REPO

CACHES = {"plots", "search", ".uploads"}


def stored_files(root: Path) -> dict[str, str]:
    """{path under root: sha256} of every file outside the caches."""
    from lims.sessions.storage import sha256_of

    return {path.relative_to(root).as_posix(): sha256_of(path) for path in sorted(root.rglob("*"))
            if path.is_file() and path.relative_to(root).parts[0] not in CACHES}


def manage(*argv, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `manage.py` in its own process with `env`."""
    return subprocess.run([sys.executable, "manage.py", *map(str, argv)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


def table_rows(settings_dict: dict, skip: set[str] = frozenset()) -> dict[str, list[tuple]]:
    """{table: every row, sorted} of a PostgreSQL database, read with its own connection."""
    import psycopg

    with psycopg.connect(host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432,
                         user=settings_dict["USER"], password=settings_dict["PASSWORD"] or None,
                         dbname=settings_dict["NAME"]) as conn:
        tables = [name for (name,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename") if name not in skip]
        return {table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr) for table in tables}


def recent_sessions(cast, make_session):
    """Three sessions of the last days: two built on the Titan (each with a broken file), one failed on the Quanta."""
    from django.utils import timezone

    from lims.records import pipeline
    from lims.sessions.models import Session
    from tests.data.make_session_files import png_bytes, tiff_bytes

    day = timezone.now().replace(microsecond=0) - timedelta(days=2)
    built = []
    for number in range(2):
        files = {"a.tif": tiff_bytes(number), "b.png": png_bytes(number), "broken.tif": tiff_bytes(9)[:200]}
        session = make_session(cast.titan, files, times=[day + timedelta(hours=number, seconds=s) for s in range(3)])
        pipeline.build_now(str(session.pk))
        built.append(session)
    failed = make_session(cast.quanta, {"c.txt": b"text\n"}, times=[day])
    Session.objects.filter(pk=failed.pk).update(state=Session.State.ERROR, error="the record did not validate")
    return built, failed
