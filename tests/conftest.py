"""The shared cast for every test: alice, bob (alice's group), charlie (an outsider), and two
instruments with their tokens; plus paths to the real instrument corpus and small helpers."""
import hashlib
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.objectstore import s3_server, store  # noqa: F401 - fixtures shared by the object-storage tests

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("LIMS_TEST_CORPUS", REPO.parent / "shared" / "corpus"))


def corpus_file(relative: str) -> Path:
    """Path of a corpus file; skips the calling test, saying why, when the corpus is absent."""
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"real instrument file {relative} not found under {CORPUS} (set LIMS_TEST_CORPUS)")
    return path


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Password hashing at production strength costs about a second per user; tests need none of it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and health answers kept in the cache never pass from one test to another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _data_root(tmp_path, settings):
    """Every test stores files in its own temporary DATA_ROOT."""
    settings.DATA_ROOT = tmp_path / "data"
    settings.DATA_ROOT.mkdir()
    return settings.DATA_ROOT


@pytest.fixture
def cast(db):
    """alice and bob share the group 'microscopy'; charlie is an outsider; staff is an admin."""
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from lims.instruments.models import Instrument

    group = Group.objects.create(name="microscopy")
    people = {}
    for name in ("alice", "bob", "charlie"):
        user = User.objects.create_user(name, f"{name}@example.org", f"{name}-password")
        people[name] = user
    people["alice"].groups.add(group)
    people["bob"].groups.add(group)
    people["staff"] = User.objects.create_user("staff", "staff@example.org", "staff-password", is_staff=True)
    tokens = {name: Token.objects.create(user=user).key for name, user in people.items()}
    titan = Instrument.objects.create(pid="titan", name="FEI Titan", hostname="TITAN-PC", location="Room 101")
    quanta = Instrument.objects.create(pid="quanta", name="FEI Quanta", hostname="QUANTA-PC", location="Room 102")

    class Cast:
        pass

    c = Cast()
    c.group = group
    c.alice, c.bob, c.charlie, c.staff = people["alice"], people["bob"], people["charlie"], people["staff"]
    c.tokens = tokens
    c.titan, c.quanta = titan, quanta
    return c


@pytest.fixture
def api(db):
    """A DRF test client factory: api(token) gives a client sending `Authorization: Token <token>`."""
    from rest_framework.test import APIClient

    def make(token=None):
        client = APIClient()
        if token:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


@pytest.fixture
def make_session(db):
    """make_session(instrument, {name: bytes}, times=[...], **fields) -> an ENDED session with its files stored."""
    from lims.sessions.models import DataFile, Session
    from tests.data.make_session_files import T0

    def make(instrument, files: dict, times: list[datetime] | None = None, **fields):
        start = times[0] if times else T0
        session = Session.objects.create(instrument=instrument, user=fields.pop("user", "alice"), start=start,
                                         state=Session.State.ENDED, **fields)
        rows = []
        for index, (name, content) in enumerate(files.items()):
            when = times[index] if times else T0 + timedelta(seconds=30 * index)
            path = session.storage_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            os.utime(path, (when.timestamp(), when.timestamp()))
            rows.append(DataFile(session=session, relative_path=name, size=len(content),
                                 sha256=hashlib.sha256(content).hexdigest(), mtime=when))
        DataFile.objects.bulk_create(rows)
        last = max((r.mtime for r in rows), default=start)
        Session.objects.filter(pk=session.pk).update(end=last)
        session.refresh_from_db()
        return session

    return make


@pytest.fixture
def broker_url():
    """The Redis database live tests hand tasks through (LIMS_TEST_BROKER_URL), emptied first."""
    import redis

    url = os.environ.get("LIMS_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
    redis.Redis.from_url(url).flushdb()
    return url
