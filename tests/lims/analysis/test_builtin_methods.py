"""The built-in methods give the expected answers on generated inputs with known answers and on real files."""
import json

import pytest

from tests.conftest import corpus_file
from tests.data import make_analysis
from tests.lims.analysis.methods import run_method

IMAGE_STATS = "lims.analysis.methods.image_stats"
FFT = "lims.analysis.methods.fft_power_spectrum"
RADIAL = "lims.analysis.methods.radial_profile"
PEAKS = "lims.analysis.methods.spectrum_peaks"


def test_image_stats_of_generated_fringes(tmp_path):
    path = make_analysis.make_fringes(tmp_path)
    summary = run_method(IMAGE_STATS, [path], tmp_path / "out", bins=10)["fringes.tif"]
    assert summary["shape"] == [120, 120]
    assert summary["min"] == pytest.approx(50, abs=0.01)
    assert summary["max"] == pytest.approx(150, abs=0.01)
    assert summary["mean"] == pytest.approx(100, abs=0.01)
    stats = json.loads((tmp_path / "out" / "fringes-stats.json").read_text())
    assert sum(stats["histogram"]["counts"]) == 120 * 120
    assert len(stats["histogram"]["counts"]) == 10
    assert (tmp_path / "out" / "fringes-histogram.csv").read_text().count("\n") == 11


def test_image_stats_of_real_stem_image(tmp_path):
    path = corpus_file("rsciio/test_STEM_image.dm3")
    summary = run_method(IMAGE_STATS, [path], tmp_path / "out")["test_STEM_image.dm3"]
    assert summary["shape"] == [68, 68]
    assert summary["min"] <= summary["median"] <= summary["max"]
    assert summary["mean"] == pytest.approx(STEM_MEAN, rel=1e-6)


def test_fft_finds_the_fringe_period_in_1_per_nm(tmp_path):
    path = make_analysis.make_fringes(tmp_path)
    summary = run_method(FFT, [path], tmp_path / "out")["fringes.tif"]
    # 120 px of 0.1 nm: rings every 1/12 nm^-1; the 2 nm fringes sit at 0.5 nm^-1.
    assert summary["frequency_step"]["value"] == pytest.approx(1 / 12)
    assert summary["strongest_frequency"]["value"] == pytest.approx(0.5, abs=1e-9)
    assert summary["strongest_period"]["value"] == pytest.approx(2.0)
    assert (tmp_path / "out" / "fringes-power-spectrum.png").read_bytes().startswith(b"\x89PNG")
    header = (tmp_path / "out" / "fringes-radial-profile.csv").read_text().splitlines()[0]
    assert header == "frequency (1/nm),mean power"


def test_fft_of_real_stem_image_is_calibrated(tmp_path):
    path = corpus_file("rsciio/test_STEM_image.dm3")
    summary = run_method(FFT, [path], tmp_path / "out")["test_STEM_image.dm3"]
    # 68 pixels of 0.248538 nm
    assert summary["pixel_size"]["value"] == pytest.approx(0.248538, rel=1e-5)
    assert summary["frequency_step"]["value"] == pytest.approx(1 / (68 * 0.248538), rel=1e-5)


def test_radial_profile_finds_centre_and_ring(tmp_path):
    path = make_analysis.make_rings(tmp_path)
    summary = run_method(RADIAL, [path], tmp_path / "out")["rings.tif"]
    assert summary["centre"]["y"] == pytest.approx(make_analysis.RING_CENTRE[0], abs=0.5)
    assert summary["centre"]["x"] == pytest.approx(make_analysis.RING_CENTRE[1], abs=0.5)
    assert summary["step"] == {"value": pytest.approx(0.05), "unit": "nm"}
    ring = make_analysis.RING_RADIUS_PX * make_analysis.RING_PIXEL_NM
    assert [r["value"] for r in summary["rings"]] == [pytest.approx(ring, abs=0.051)]


def test_radial_profile_around_a_given_centre(tmp_path):
    path = make_analysis.make_rings(tmp_path)
    summary = run_method(RADIAL, [path], tmp_path / "out", centre_x=45, centre_y=40)["rings.tif"]
    assert summary["centre"] == {"x": 45.0, "y": 40.0, "unit": "px"}


def test_radial_profile_of_real_diffraction_pattern(tmp_path):
    path = corpus_file("rsciio/test_diffraction_pattern.dm3")
    summary = run_method(RADIAL, [path], tmp_path / "out")["test_diffraction_pattern.dm3"]
    assert summary["step"] == {"value": pytest.approx(0.174433, rel=1e-5), "unit": "1/nm"}
    assert summary["centre"]["x"] == pytest.approx(DIFFRACTION_CENTRE[0], abs=0.01)
    assert summary["centre"]["y"] == pytest.approx(DIFFRACTION_CENTRE[1], abs=0.01)


def test_spectrum_peaks_names_iron_and_copper(tmp_path):
    path = make_analysis.make_eds_msa(tmp_path)
    summary = run_method(PEAKS, [path], tmp_path / "out", prominence=0.2)["eds.msa"]
    assert summary["technique"] == "eds"
    energies = [p["energy"]["value"] for p in summary["peaks"]]
    assert energies == [pytest.approx(e, abs=10) for e in make_analysis.PEAKS_EV]
    best = [(p["best"]["element"], p["best"]["line"]) for p in summary["peaks"]]
    assert best == [("Fe", "Ka1"), ("Cu", "Ka1")]


def test_spectrum_peaks_tolerance_takes_units(tmp_path):
    path = make_analysis.make_eds_msa(tmp_path)
    summary = run_method(PEAKS, [path], tmp_path / "out", prominence=0.2,
                         tolerance={"value": 0.001, "unit": "keV"})["eds.msa"]
    # 1 eV around each peak: nothing in the table is that close to 6404 eV (Fe Ka1 is 6405.2)
    assert summary["peaks"][1]["best"] is None


def test_spectrum_peaks_of_real_eds_spectrum(tmp_path):
    path = corpus_file("nexuslims/647_leo_edax_test.msa")
    summary = run_method(PEAKS, [path], tmp_path / "out")["647_leo_edax_test.msa"]
    assert summary["technique"] == "eds"
    found = json.loads((tmp_path / "out" / "647_leo_edax_test-peaks.json").read_text())
    assert found["channels"] == 4096
    assert found["channel_width"]["value"] == pytest.approx(5.0)
    named = {p["energy"]["value"]: (p["best"]["element"], p["best"]["line"]) for p in summary["peaks"] if p["best"]}
    # the oxygen and silicon K lines of this sample, at their calibrated energies
    assert named[525.0] == ("O", "Ka1")
    assert named[1735.0] == ("Si", "Ka1")


STEM_MEAN = 32655.396842560553
DIFFRACTION_CENTRE = (43.711348, 42.567839)  # x, y: the centre of mass above the median


def test_spectrum_peaks_finds_an_eels_edge(tmp_path):
    path = make_analysis.make_eels_msa(tmp_path)
    summary = run_method(PEAKS, [path], tmp_path / "out", technique="eels", prominence=0.5)["eels.msa"]
    assert summary["technique"] == "eels"
    [edge] = summary["peaks"]
    assert edge["energy"]["value"] == pytest.approx(make_analysis.EDGE_EV, abs=2)
    found = json.loads((tmp_path / "out" / "eels-peaks.json").read_text())
    assert {"element": "O", "edge": "K", "energy": pytest.approx(543.1)} in found["peaks"][0]["candidates"]
