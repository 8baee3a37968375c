"""`manage.py build_records`: builds every waiting session; rebuilds chosen ones in place."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lims.records.models import Record
from lims.sessions.models import Session

from tests.data.make_session_files import tiff_bytes


def _run(**options):
    out = StringIO()
    call_command("build_records", stdout=out, **options)
    return out.getvalue()


def test_it_builds_every_waiting_session(cast, make_session):
    first = make_session(cast.titan, {"a.tif": tiff_bytes(1)})
    second = make_session(cast.quanta, {"b.tif": tiff_bytes(2)})
    out = _run()
    assert "2 sessions: 2 completed" in out
    assert Record.objects.filter(session__in=[first, second]).count() == 2


def test_it_rebuilds_a_built_session_without_a_second_record(cast, make_session):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)})
    _run()
    out = _run(session=[str(session.pk)], reextract=True)
    assert f"{session.pk} COMPLETED" in out
    assert Record.objects.filter(session=session).count() == 1


def test_it_refuses_unknown_and_active_sessions(cast, make_session):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1)})
    Session.objects.filter(pk=session.pk).update(state=Session.State.ACTIVE)
    with pytest.raises(CommandError, match="still active"):
        _run(session=[str(session.pk)])
    with pytest.raises(CommandError, match="no session"):
        _run(session=["00000000-0000-0000-0000-000000000000"])
