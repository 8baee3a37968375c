"""Files of an active session are read as they arrive, unless EXTRACT_DURING_SESSION is off."""
import pytest

from lims.records.pipeline import schedule_extraction
from lims.sessions.models import DataFile


@pytest.mark.parametrize(("setting", "queued"), [(True, 1), (False, 0)])
def test_an_arriving_file_is_queued_for_reading_only_when_the_setting_is_on(make_session, cast, settings,
                                                                            django_capture_on_commit_callbacks,
                                                                            setting, queued):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EXTRACT_DURING_SESSION = setting
    session = make_session(cast.titan, {"a.txt": b"hello"})
    datafile = DataFile.objects.get(session=session)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        schedule_extraction(datafile)

    assert len(callbacks) == queued
