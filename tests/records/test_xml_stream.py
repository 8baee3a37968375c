"""The streamed record writer: the same bytes as the tree-based writer it replaced, valid at any size.

`golden/record.xml` was written by the tree-based writer (`etree.tostring` of the whole record,
pretty-printed) from `golden_experiment()` below, before records were streamed. Serialisation is a
contract of the archive, so a change to it must be deliberate: after one, rewrite the file with
`python -m tests.records.test_xml_stream` and review the difference.
"""
import io
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from records.activities import group
from records.model import Dataset, Experiment
from records.validate import validate, validate_file
from records.xml import build_record, write_record
from tests.records.test_xml import SESSION_START, experiment

GOLDEN = Path(__file__).resolve().parent / "golden" / "record.xml"
DERIVATION = {
    "run": 12, "method": "eels-thickness", "method_title": "EELS thickness", "version": "1.1", "kind": "python",
    "parameters": {"zlp_width": {"value": 2.5, "unit": "eV"}, "model": "log-ratio"},
    "inputs": [{"record": 7, "name": "eels_010.msa", "sha256": "a" * 64}],
    "agent": "alice", "started": "2026-03-02T12:00:00+00:00", "ended": "2026-03-02T12:00:04+00:00",
    "url": "https://lims.example.org/runs/12/",
}


def _image(index: int, seconds: float, **extra) -> Dataset:
    when = SESSION_START + timedelta(seconds=seconds)
    metadata = {"acquisition_time": when.isoformat(), "acceleration_voltage": {"value": 300, "unit": "kV"},
                "magnification": {"value": 20000 + 1000 * index, "unit": ""}, "detector": "HAADF",
                "dimensions": [{"name": "x", "size": 2048, "scale": 0.25, "unit": "nm"}], **extra}
    return Dataset(name=f"image_{index:03}.dm3", location=f"grid2/image_{index:03}.dm3", size=4_200_000 + index,
                   sha256=f"{index:064x}", format="DigitalMicrograph 3", extractor="dm", signal_type="image",
                   acquired=when, preview=f"/previews/{index}.png", metadata=metadata, url=f"/files/{index}/")


def _spectrum(index: int, seconds: float) -> Dataset:
    when = SESSION_START + timedelta(seconds=seconds)
    voltage = {"value": 300, "unit": "kV"} if index % 2 else {"value": 300000, "unit": "V"}
    return Dataset(name=f"eels_{index:03}.msa", location=f"eels_{index:03}.msa", size=12_000, sha256=f"{index:064x}",
                   format="EMSA/MSA", extractor="msa", signal_type="spectrum", acquired=when,
                   metadata={"acceleration_voltage": voltage, "dispersion": {"value": 0.1, "unit": "eV"}})


def golden_experiment() -> Experiment:
    """Every kind of element a record holds: summary, derivation, setup, several signals, odd text, errors."""
    eds = {"signal_type": "spectrum_image", "title": "EDS", "acceleration_voltage": {"value": 20, "unit": "kV"}}
    images = [_image(0, 0, title="SE", signals=[{"metadata": eds, "preview": True, "warnings": ["odd header"]}]),
              _image(1, 30, detector="<b>HAADF</b> & \x00BF", extras={"lens\x01mode": {"value": 2, "unit": "m\x02m"}}),
              _image(2, 60, spot_size=3.5, flags=[1, 2], ok=True, nothing=None, big=float("inf"))]
    images[2].description = "Best image of the grid"
    spectra = [_spectrum(10 + i, 3600 + 20 * i) for i in range(3)]
    broken = Dataset(name="broken.dm3", location="broken.dm3", size=512, sha256="", format="", extractor="none",
                     signal_type="", acquired=None, warnings=["header ends early"], error="file ends after 512 bytes")
    record = experiment(images + spectra + [broken])
    record.activities[0].notes = "Aligned at 09:00"
    return replace(record, description="Curated: thickness series", derivation=DERIVATION)


def _generated(count: int) -> Experiment:
    """`count` images in two runs, their datasets produced lazily (as the pipeline reads them in chunks)."""
    record = golden_experiment()
    record.derivation = None
    record.activities = group([_image(i, 30 * i + (900 if i >= count // 2 else 0)) for i in range(count)])
    return record


def test_the_streamed_record_is_byte_identical_to_the_tree_based_one():
    assert build_record(golden_experiment()) == GOLDEN.read_bytes()


def test_the_golden_record_is_valid():
    assert validate(GOLDEN.read_bytes()) == []


def test_writing_to_a_file_gives_the_same_bytes_as_build_record(tmp_path):
    target = tmp_path / "record.xml"
    write_record(golden_experiment(), target)
    assert target.read_bytes() == GOLDEN.read_bytes()


def test_a_record_of_five_thousand_files_streams_and_validates_from_its_file(tmp_path):
    target = tmp_path / "record.xml"
    experiment = _generated(5000)
    for activity in experiment.activities:
        activity.datasets = iter(activity.datasets)  # a one-pass iterable is enough for the writer
    write_record(experiment, target)
    assert validate_file(target) == []
    assert target.read_bytes().count(b"<dataset>") == 5000


def test_validating_a_file_reports_the_same_problems_as_validating_bytes(tmp_path):
    xml = GOLDEN.read_bytes().replace(b"<size>4200001</size>", b"<size>big</size>")
    target = tmp_path / "record.xml"
    target.write_bytes(xml)
    from_bytes = validate(xml)
    assert from_bytes and validate_file(target) == from_bytes


if __name__ == "__main__" and sys.argv[1:] == []:
    buffer = io.BytesIO()
    buffer.write(build_record(golden_experiment()))
    GOLDEN.write_bytes(buffer.getvalue())
    print(f"wrote {GOLDEN}")
