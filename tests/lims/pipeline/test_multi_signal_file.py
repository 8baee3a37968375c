"""A file holding two images becomes two datasets of its record, each with its own preview."""
from io import StringIO

import pytest
from django.core.management import call_command

from lims.records.models import Record
from lims.sessions.models import DataFile
from records.validate import validate
from records.xmlparser import parse
from tests.data.make_dm import make_two_image_dm

NS = {"r": "urn:lims:record:1.0"}


@pytest.fixture
def record(cast, tmp_path):
    folder = tmp_path / "session"
    folder.mkdir()
    make_two_image_dm(folder)
    call_command("ingest", str(folder), instrument="titan", user="alice", stdout=StringIO(), stderr=StringIO())
    return Record.objects.get()


def test_the_file_keeps_its_further_signal_in_its_metadata(record):
    data_file = DataFile.objects.get(session=record.session)
    assert data_file.metadata["title"] == "HAADF"
    [further] = data_file.metadata["signals"]
    assert further["metadata"]["title"] == "BF" and further["preview"] is True
    assert record.file_count == 1


def test_the_record_has_one_dataset_per_signal(record):
    assert validate(record.xml.encode()) == []
    datasets = parse(record.xml.encode()).xpath("//r:dataset", namespaces=NS)
    assert [d.findtext("r:signal", namespaces=NS) for d in datasets] == ["HAADF", "BF"]
    assert datasets[1].findtext("r:preview", namespaces=NS).endswith("/preview.png?signal=1")


def test_each_signal_preview_is_served(record, cast, client):
    client.force_login(cast.alice)
    data_file = DataFile.objects.get(session=record.session)
    base = f"/records/{record.pk}/files/{data_file.pk}/preview.png"
    main, further = client.get(base), client.get(f"{base}?signal=1")
    assert main.status_code == further.status_code == 200
    assert b"".join(main.streaming_content) != b"".join(further.streaming_content)
    assert client.get(f"{base}?signal=2").status_code == 404
    assert client.get(f"{base}?signal=x").status_code == 404
