"""Copying the whole database out and back: pg_dump/pg_restore on PostgreSQL, SQLite's online backup on SQLite.

`snapshot(target)` writes the copy and, while it is open, yields a database alias whose queries see
exactly what was copied (PostgreSQL: the same exported snapshot; SQLite: the copy itself), so the
file manifest of a backup agrees with its database. `load(source)` puts a copy into the
installation's database, which the caller has checked holds nothing.
"""
import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction

SNAPSHOT_ALIAS = "backup_snapshot"
POSTGRESQL = "postgresql"
SQLITE = "sqlite"
FILE_NAMES = {POSTGRESQL: "database.dump", SQLITE: "database.sqlite3"}
TOOL_TIMEOUT = 24 * 3600


class DatabaseCopyError(RuntimeError):
    """The database could not be copied out or in; the message says why and what to do."""


def engine() -> str:
    name = settings.DATABASES["default"]["ENGINE"]
    if name.endswith("postgresql"):
        return POSTGRESQL
    if name.endswith("sqlite3"):
        return SQLITE
    raise DatabaseCopyError(f"backups support PostgreSQL and SQLite, not {name}")


def _major(version_text: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if not found:
        raise DatabaseCopyError(f"cannot read a version in {version_text!r}")
    return int(found.group(1))


def _pg_tool(name: str) -> str:
    """Path of pg_dump or pg_restore, refused when older than the server (it could not read the server's data)."""
    path = shutil.which(name)
    if not path:
        raise DatabaseCopyError(f"{name} is not installed: install the PostgreSQL client "
                                f"(e.g. `apt-get install postgresql-client`) of the server's version or newer")
    tool = _major(subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout)
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if tool < server:
        raise DatabaseCopyError(f"{name} is version {tool} but the database server is version {server}: "
                                f"install the PostgreSQL {server} client tools")
    return path


def _pg_arguments() -> tuple[list[str], dict]:
    """Connection arguments and environment for the PostgreSQL tools; the password goes in the environment only."""
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"], "--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT)
    if done.returncode != 0:
        raise DatabaseCopyError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-2000:]}")


@contextlib.contextmanager
def _postgresql_snapshot(target: Path) -> Iterator[str]:
    pg_dump = _pg_tool("pg_dump")
    args, env = _pg_arguments()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}",
              "--file", str(target), *args], env)
        yield "default"


@contextlib.contextmanager
def _sqlite_snapshot(target: Path) -> Iterator[str]:
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    try:
        with contextlib.closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    finally:
        source.close()
    connections.settings[SNAPSHOT_ALIAS] = {**settings.DATABASES["default"], "NAME": str(target), "OPTIONS": {}}
    try:
        yield SNAPSHOT_ALIAS
    finally:
        connections[SNAPSHOT_ALIAS].close()
        del connections[SNAPSHOT_ALIAS]
        del connections.settings[SNAPSHOT_ALIAS]


def snapshot(target: Path):
    """Context manager: write the database to `target`; yields an alias reading what was written."""
    return _postgresql_snapshot(target) if engine() == POSTGRESQL else _sqlite_snapshot(target)


def is_empty() -> bool:
    """True when the database holds no people, instruments or sessions (tables may exist, freshly migrated)."""
    from django.contrib.auth.models import User

    from lims.instruments.models import Instrument
    from lims.sessions.models import Session

    if "django_migrations" not in connection.introspection.table_names():
        return True
    return not any(model.objects.exists() for model in (User, Instrument, Session))


def _drop_tables() -> None:
    """Drop the (empty) tables of a migrated installation, so the copy brings its own schema."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def load(source: Path) -> None:
    """Put the database copy at `source` into this installation's (empty) database."""
    if engine() == POSTGRESQL:
        pg_restore = _pg_tool("pg_restore")
        args, env = _pg_arguments()
        _drop_tables()
        _run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args,
              str(source)], env)
    else:
        connection.close()
        with contextlib.closing(sqlite3.connect(source)) as copy, \
                contextlib.closing(sqlite3.connect(settings.DATABASES["default"]["NAME"])) as live:
            copy.backup(live)
    connection.close()
