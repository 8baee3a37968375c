"""A record built from real files by the pipeline: two runs of images an hour apart (two activities)."""
from datetime import timedelta

import pytest

from tests.data.make_session_files import T0, tiff_bytes


@pytest.fixture
def built(cast, make_session):
    """alice's record of 5 images: 3 in the first activity, 2 in the second."""
    from lims.records import pipeline
    from lims.records.models import Record

    names = ["run1/a.tif", "run1/b.tif", "run1/c.tif", "run2/d.tif", "run2/e.tif"]
    times = [T0, T0 + timedelta(seconds=30), T0 + timedelta(seconds=60),
             T0 + timedelta(hours=1), T0 + timedelta(hours=1, seconds=30)]
    session = make_session(cast.titan, {name: tiff_bytes(i, 32) for i, name in enumerate(names)}, times=times,
                           account=cast.alice, sample="steel", project="alloys")
    assert pipeline.build_now(str(session.pk)) == "COMPLETED"
    return Record.objects.get(session=session)


def activities_of(record) -> dict:
    """{activity index: [file names]} as stored now."""
    found = {}
    for name, activity in record.session.files.order_by("acquired").values_list("relative_path", "activity"):
        found.setdefault(activity, []).append(name)
    return found
