"""Interactive plots: a spectrum's points and a spectrum image's navigator and pixel spectra, from real files."""
import fcntl
import os

import pytest
from record_factory import make_record

from tests.conftest import corpus_file

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def _record(cast, name: str, signal_type: str):
    content = corpus_file(name).read_bytes()
    return make_record(cast.titan, "alice", cast.alice, files=[
        {"name": os.path.basename(name), "content": content, "signal_type": signal_type}])


def test_a_spectrum_is_served_downsampled_with_its_calibrated_axis(cast, api):
    record = _record(cast, "nexuslims/647_leo_edax_test.spc", "spectrum")
    data_file = record.session.files.get()
    plot = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/files/{data_file.pk}/plot").json()
    assert plot["kind"] == "spectrum"
    assert len(plot["x"]) == len(plot["y"]) == 2048  # 4096 channels, two to a point
    assert plot["x_axis"] == {"name": "Energy", "unit": "keV"}
    assert plot["x"][0] < plot["x"][1] < plot["x"][-1]
    assert max(plot["y"]) > 0


def test_a_spectrum_image_gives_its_navigator_and_each_pixel_spectrum(cast, api):
    record = _record(cast, "rsciio/16x16-spectrum_image-5x5x1024.emi", "spectrum_image")
    (record.session.storage_dir / "16x16-spectrum_image-5x5x1024_1.ser").write_bytes(
        corpus_file("rsciio/16x16-spectrum_image-5x5x1024_1.ser").read_bytes())
    data_file = record.session.files.get()
    url = f"/api/v1/records/{record.pk}/files/{data_file.pk}/plot"
    client = api(cast.tokens["alice"])
    plot = client.get(url).json()
    assert plot["kind"] == "spectrum_image"
    assert [len(plot["navigator"]), len(plot["navigator"][0])] == [5, 5]
    assert len(plot["x"]) == len(plot["y"]) == 1024
    pixel = client.get(url, {"x": 4, "y": 2}).json()
    assert (pixel["x"], pixel["y"], len(pixel["values"])) == (4, 2, 1024)
    # the navigator is the sum of each pixel's spectrum
    assert sum(pixel["values"]) == pytest.approx(plot["navigator"][2][4], rel=1e-4)
    assert client.get(url, {"x": 5, "y": 0}).status_code == 400
    assert client.get(url, {"x": "a", "y": 0}).status_code == 400


def test_an_image_has_no_plot_and_an_outsider_sees_none(cast, api):
    record = _record(cast, "rsciio/test_STEM_image.dm3", "image")
    data_file = record.session.files.get()
    url = f"/api/v1/records/{record.pk}/files/{data_file.pk}/plot"
    assert api(cast.tokens["alice"]).get(url).status_code == 404
    assert api(cast.tokens["charlie"]).get(url).status_code == 404


def test_a_plot_being_prepared_answers_503_with_retry_after(cast, api, settings):
    record = _record(cast, "rsciio/example1.msa", "spectrum")
    data_file = record.session.files.get()
    folder = settings.DATA_ROOT / "plots" / data_file.sha256[:2] / data_file.sha256
    folder.mkdir(parents=True)
    handle = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(handle, fcntl.LOCK_EX)  # another request is preparing it
    try:
        busy = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/files/{data_file.pk}/plot")
        assert busy.status_code == 503 and busy["Retry-After"] == "2"
    finally:
        os.close(handle)
    ready = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/files/{data_file.pk}/plot")
    assert ready.status_code == 200 and len(ready.json()["x"]) == 21


def test_a_file_with_more_data_than_a_request_may_read_is_refused_with_the_reason(cast, api, monkeypatch):
    from lims.records import plots

    monkeypatch.setattr(plots, "MAX_DATA_BYTES", 1000)
    record = _record(cast, "nexuslims/647_leo_edax_test.spc", "spectrum")
    data_file = record.session.files.get()
    refused = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/files/{data_file.pk}/plot")
    assert refused.status_code == 404 and "more than the 1000 read for an interactive plot" in refused.json()["detail"]
