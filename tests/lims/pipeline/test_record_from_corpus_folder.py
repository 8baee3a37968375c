"""A record built from a folder of real instrument files: activities, common setup and dataset metadata.

The files carry their own acquisition times, which the record follows (not the files' dates on
disk): the FEI Helios image was taken on 2016-06-13, the STEM image on 2016-08-08 at 16:26:37
and the EDS spectrum the same day at 21:46:19.
"""
import os
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from lims.records.models import Record
from lims.sessions.models import DataFile
from records.validate import validate
from records.xmlparser import parse
from tests.conftest import corpus_file

NS = {"r": "urn:lims:record:1.0"}
FILES = {
    "helios.tif": "rsciio/FEI-Helios-Ebeam-8bits.tif",
    "stem_a.dm3": "rsciio/test_STEM_image.dm3",
    "stem_b.dm3": "rsciio/test_STEM_image.dm3",  # the same acquisition saved twice
    "eds.dm3": "rsciio/test-EDS_spectrum.dm3",
}


@pytest.fixture
def record(cast, tmp_path):
    folder = tmp_path / "session"
    folder.mkdir()
    for name, source in FILES.items():
        shutil.copy(corpus_file(source), folder / name)
    cast.titan.timezone = "UTC"
    cast.titan.save()
    call_command("ingest", str(folder), instrument="titan", user="alice", stdout=StringIO(), stderr=StringIO())
    return Record.objects.get()


def _activity_of(record, name):
    return DataFile.objects.get(session=record.session, relative_path=name).activity


def test_the_record_validates_and_orders_activities_by_acquisition_time(record):
    assert validate(record.xml.encode()) == []
    assert [a["mode"] for a in record.data["activities"]] == ["imaging", "imaging", "spectroscopy"]
    assert [a["file_count"] for a in record.data["activities"]] == [1, 2, 1]
    assert _activity_of(record, "helios.tif") == 1
    assert _activity_of(record, "stem_a.dm3") == _activity_of(record, "stem_b.dm3") == 2
    assert record.data["activities"][1]["start"].startswith("2016-08-08T16:26:37")


def test_the_setup_holds_what_every_file_of_the_activity_shares(record):
    stem = record.data["activities"][1]["setup"]
    assert stem["acceleration_voltage"] == {"value": 200.0, "unit": "kV"}
    assert stem["magnification"] == 225000.0 or stem["magnification"].get("value") == 225000.0
    root = parse(record.xml.encode())
    activity = root.xpath("r:acquisitionActivity", namespaces=NS)[1]
    voltage = activity.xpath("r:setup/r:param[@name='acceleration_voltage']", namespaces=NS)[0]
    assert float(voltage.text) == 200.0 and voltage.get("unit") == "kV"


def test_datasets_keep_their_metadata_and_the_sem_image_its_own_voltage(record):
    helios = DataFile.objects.get(session=record.session, relative_path="helios.tif")
    assert helios.metadata["acceleration_voltage"] == {"value": 5.0, "unit": "kV"}
    assert helios.metadata["dimensions"][0]["size"] in (512, 471)
    root = parse(record.xml.encode())
    first = root.xpath("r:acquisitionActivity", namespaces=NS)[0]
    assert first.xpath("string(r:dataset/r:name)", namespaces=NS) == "helios.tif"
    voltage = first.xpath(".//r:param[@name='acceleration_voltage']", namespaces=NS)[0]
    assert float(voltage.text) == 5.0 and voltage.get("unit") == "kV"
