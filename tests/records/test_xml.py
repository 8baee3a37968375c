"""The XML record builder: realistic experiments give schema-valid records with data where expected."""
from datetime import datetime, timedelta, timezone

from lxml import etree

from records.activities import group
from records.model import Dataset, Experiment
from records.validate import validate
from records.xml import NAMESPACE, SCHEMA_VERSION, build_record
from records.xmlparser import parse

SESSION_START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
NS = {"r": NAMESPACE}


def _image(index: int, seconds: float, **metadata) -> Dataset:
    when = SESSION_START + timedelta(seconds=seconds)
    base = {
        "vendor": "FEI",
        "model": "Titan",
        "acquisition_time": when.isoformat(),
        "acceleration_voltage": {"value": 300, "unit": "kV"},
        "magnification": {"value": 20000 + 1000 * index, "unit": ""},
        "pixel_size_x": {"value": 0.25, "unit": "nm"},
        "detector": "HAADF",
        "signal_type": "image",
        "dimensions": [{"name": "x", "size": 2048, "scale": 0.25, "offset": 0, "unit": "nm", "navigate": False}],
    }
    base.update(metadata)
    return Dataset(
        name=f"image_{index:03}.dm3", location=f"grid2/image_{index:03}.dm3", size=4_200_000 + index,
        sha256=f"{index:064x}", format="DigitalMicrograph 3", extractor="dm", signal_type="image",
        acquired=when, preview=f"/previews/{index}.png", metadata=base, url=f"/files/{index}",
    )


def _spectrum(index: int, seconds: float) -> Dataset:
    when = SESSION_START + timedelta(seconds=seconds)
    voltage = {"value": 300, "unit": "kV"} if index % 2 else {"value": 300000, "unit": "V"}
    return Dataset(
        name=f"eels_{index:03}.msa", location=f"eels_{index:03}.msa", size=12_000, sha256=f"{index:064x}",
        format="EMSA/MSA", extractor="msa", signal_type="spectrum", acquired=when,
        metadata={"acceleration_voltage": voltage, "dispersion": {"value": 0.1, "unit": "eV"},
                  "exposure_time": {"value": 2, "unit": "s"}},
    )


def experiment(datasets: list[Dataset]) -> Experiment:
    return Experiment(
        id="6f1c2a4e-8d3b-4c55-9a10-3e2f11a0c001", title="EELS of S-12 on FEI Titan", experimenter="alice",
        instrument_pid="titan", instrument_name="FEI Titan", instrument_location="Room 101",
        start=SESSION_START, end=SESSION_START + timedelta(hours=3), purpose="Check oxidation state",
        project="Catalysis", sample_id="S-12", sample_name="Pt/CeO2", sample_description="Powder on holey carbon",
        collaborators=["bob", "charlie"], notes="Beam drifted after 10:30", url="https://lims.example.org/records/7/",
        activities=group(datasets),
    )


def _realistic() -> Experiment:
    images = [_image(i, 30 * i) for i in range(4)]
    spectra = [_spectrum(10 + i, 3600 + 20 * i) for i in range(3)]
    return experiment(images + spectra)


def _root(exp: Experiment) -> etree._Element:
    return parse(build_record(exp))


def test_a_realistic_record_validates_against_the_schema():
    assert validate(build_record(_realistic())) == []


def test_the_record_declares_its_namespace_and_schema_version():
    root = _root(_realistic())
    assert root.tag == f"{{{NAMESPACE}}}experiment"
    assert root.get("schemaVersion") == SCHEMA_VERSION == "1.2"


def test_the_summary_carries_people_instrument_times_and_sample():
    root = _root(_realistic())
    summary = root.find("r:summary", NS)
    assert summary.findtext("r:experimenter", namespaces=NS) == "alice"
    assert summary.find("r:instrument", NS).get("pid") == "titan"
    assert summary.findtext("r:instrument/r:name", namespaces=NS) == "FEI Titan"
    assert summary.findtext("r:instrument/r:location", namespaces=NS) == "Room 101"
    assert summary.findtext("r:start", namespaces=NS) == "2026-03-02T09:00:00+00:00"
    assert summary.findtext("r:end", namespaces=NS) == "2026-03-02T12:00:00+00:00"
    assert summary.find("r:sample", NS).get("id") == "S-12"
    assert summary.findtext("r:sample/r:name", namespaces=NS) == "Pt/CeO2"
    assert [c.text for c in summary.findall("r:collaborator", NS)] == ["bob", "charlie"]


def test_images_and_spectra_become_two_activities_in_time_order():
    activities = _root(_realistic()).findall("r:acquisitionActivity", NS)
    assert [a.get("index") for a in activities] == ["1", "2"]
    assert [a.findtext("r:mode", namespaces=NS) for a in activities] == ["imaging", "spectroscopy"]
    assert [len(a.findall("r:dataset", NS)) for a in activities] == [4, 3]
    assert activities[0].findtext("r:end", namespaces=NS) == "2026-03-02T09:01:30+00:00"


def test_the_setup_holds_parameters_every_dataset_shares():
    first = _root(_realistic()).find("r:acquisitionActivity", NS)
    setup = {p.get("name"): p for p in first.findall("r:setup/r:param", NS)}
    assert setup["acceleration_voltage"].text == "300"
    assert setup["acceleration_voltage"].get("unit") == "kV"
    assert setup["acceleration_voltage"].get("type") == "number"
    assert setup["detector"].text == "HAADF"
    assert setup["dimensions"].get("type") == "list"
    assert '"size": 2048' in setup["dimensions"].text
    assert "magnification" not in setup
    assert "acquisition_time" not in setup


def test_each_dataset_lists_only_its_own_parameters():
    dataset = _root(_realistic()).find("r:acquisitionActivity/r:dataset[2]", NS)
    assert dataset.findtext("r:name", namespaces=NS) == "image_001.dm3"
    assert dataset.findtext("r:location", namespaces=NS) == "grid2/image_001.dm3"
    assert dataset.findtext("r:size", namespaces=NS) == "4200001"
    assert dataset.findtext("r:sha256", namespaces=NS) == f"{1:064x}"
    assert dataset.findtext("r:signalType", namespaces=NS) == "image"
    assert dataset.findtext("r:acquired", namespaces=NS) == "2026-03-02T09:00:30+00:00"
    own = {p.get("name"): p.text for p in dataset.findall("r:metadata/r:param", NS)}
    assert own == {"acquisition_time": "2026-03-02T09:00:30+00:00", "magnification": "21000"}


def test_kilovolts_and_volts_that_agree_are_one_setup_parameter():
    spectra = _root(_realistic()).findall("r:acquisitionActivity", NS)[1]
    setup = {p.get("name"): (p.text, p.get("unit")) for p in spectra.findall("r:setup/r:param", NS)}
    assert setup["acceleration_voltage"] == ("300000", "V")
    assert setup["exposure_time"] == ("2", "s")
    assert len(spectra.findall("r:dataset/r:metadata/r:param", NS)) == 0


def test_a_dataset_with_an_error_validates_and_carries_the_error():
    broken = Dataset(name="cut.dm3", location="cut.dm3", size=512, sha256="a" * 64, format="", signal_type="",
                     acquired=SESSION_START, warnings=["header ends early"], error="file ends after 512 bytes")
    xml = build_record(experiment([broken]))
    assert validate(xml) == []
    dataset = parse(xml).find("r:acquisitionActivity/r:dataset", NS)
    assert dataset.findtext("r:error", namespaces=NS) == "file ends after 512 bytes"
    assert dataset.findtext("r:warning", namespaces=NS) == "header ends early"
    assert dataset.findtext("r:signalType", namespaces=NS) == "other"


def test_markup_and_control_characters_in_metadata_stay_text():
    odd = _image(0, 0, detector="<b>HAADF</b> & \x00BF", extras={"comment": "tab\there", "ok": True})
    xml = build_record(experiment([odd]))
    assert validate(xml) == []
    setup = {p.get("name"): p for p in parse(xml).findall(".//r:setup/r:param", NS)}
    assert setup["detector"].text == "<b>HAADF</b> & \ufffdBF"
    assert setup["extras.comment"].text == "tab\there"
    assert setup["extras.ok"].get("type") == "bool" and setup["extras.ok"].text == "true"


def test_a_session_without_files_still_gives_a_valid_record():
    xml = build_record(experiment([]))
    assert validate(xml) == []
    assert parse(xml).findall("r:acquisitionActivity", NS) == []


def test_ten_thousand_datasets_build_and_validate():
    datasets = [_image(i, 30 * i + (600 if i >= 5000 else 0)) for i in range(10_000)]
    xml = build_record(experiment(datasets))
    assert validate(xml) == []
    root = parse(xml)
    assert len(root.findall("r:acquisitionActivity", NS)) == 2
    assert len(root.findall("r:acquisitionActivity/r:dataset", NS)) == 10_000


def test_a_control_character_in_a_parameter_name_or_unit_gives_one_clean_parameter():
    odd = _image(0, 0, **{"extras": {"lens\x01mode": {"value": 2, "unit": "m\x02m"}}})
    xml = build_record(experiment([odd]))
    assert validate(xml) == []
    params = parse(xml).findall(".//r:setup/r:param[@name='extras.lens\ufffdmode']", NS)
    assert [(p.text, p.get("unit")) for p in params] == [("2", "m\ufffdm")]


def test_numpy_values_are_written_as_plain_numbers_and_lists():
    import numpy as np

    odd = _image(0, 0, spot_size=np.float32(3.5), extras={"binning": np.int64(2), "shape": np.array([512, 256])})
    setup = {p.get("name"): (p.text, p.get("type"))
             for p in parse(build_record(experiment([odd]))).findall(".//r:setup/r:param", NS)}
    assert setup["spot_size"] == ("3.5", "number")
    assert setup["extras.binning"] == ("2", "number")
    assert setup["extras.shape"] == ("[512, 256]", "list")


def test_parameters_name_their_em_glossary_term_and_qudt_unit():
    root = _root(_realistic())
    voltage = root.xpath("//r:setup/r:param[@name='acceleration_voltage']", namespaces=NS)[0]
    assert voltage.get("term") == "https://purls.helmholtz-metadaten.de/emg/EMG_00000004"
    assert voltage.get("unitIri") == "http://qudt.org/vocab/unit/KiloV"
    detector = root.xpath("//r:setup/r:param[@name='detector']", namespaces=NS)[0]
    assert detector.get("term") is None and detector.get("unitIri") is None


def test_a_file_with_several_signals_becomes_one_dataset_per_signal():
    spectrum_image = {"signal_type": "spectrum_image", "title": "EDS", "acceleration_voltage": {"value": 20, "unit": "kV"},
                      "dimensions": [{"name": "Energy", "size": 2048, "scale": 0.01, "offset": 0, "unit": "keV",
                                      "navigate": False}]}
    image = _image(0, 0, signal_type="image", title="SE",
                   signals=[{"metadata": spectrum_image, "preview": True, "warnings": ["odd header"], "error": None}])
    xml = build_record(experiment([image, _image(1, 30)]))
    assert validate(xml) == []
    root = parse(xml)
    datasets = root.xpath("//r:dataset[r:name='image_000.dm3']", namespaces=NS)
    assert len(datasets) == 2
    first, second = datasets
    assert first.find("r:signal", NS).attrib == {"index": "0", "count": "2"}
    assert second.find("r:signal", NS).text == "EDS"
    assert second.findtext("r:signalType", namespaces=NS) == "spectrum_image"
    assert second.findtext("r:preview", namespaces=NS) == "/previews/0.png?signal=1"
    assert second.findtext("r:warning", namespaces=NS) == "odd header"
    # the further signal's voltage differs from the activity's setup, so it is stated
    voltage = second.xpath("r:metadata/r:param[@name='acceleration_voltage']", namespaces=NS)[0]
    assert voltage.text == "20" and voltage.get("unit") == "kV"
    assert not root.xpath("//r:param[@name='signals']", namespaces=NS)
    # a single-signal file has no signal element
    assert root.xpath("//r:dataset[r:name='image_001.dm3']/r:signal", namespaces=NS) == []


def test_a_record_of_the_previous_minor_version_is_still_valid():
    xml = build_record(_realistic()).replace(b'schemaVersion="1.2"', b'schemaVersion="1.0"')
    for attribute in (b' term="https://purls.helmholtz-metadaten.de/emg/EMG_00000004"',
                      b' unitIri="http://qudt.org/vocab/unit/KiloV"'):
        xml = xml.replace(attribute, b"")
    assert validate(xml) == []
