"""process_file: the JSON shape, previews, determinism, the time limit and the memory guard."""
import hashlib
import json
import threading

import numpy as np
import pytest
from PIL import Image

from records.process import EXTRACTOR_VERSION, expand, process_file, signal_preview_path
from tests.conftest import corpus_file
from tests.data.make_mrc import make_mrc
from tests.data.make_msa import make_msa
from tests.data.make_tiff import make_fei_tiff

KEYS = {"path", "format", "extractor", "metadata", "warnings", "preview", "error", "signal_type",
        "acquisition_time", "original_metadata"}


def test_it_returns_the_brief_shape_with_a_preview(tmp_path):
    result = process_file(make_fei_tiff(tmp_path), tmp_path / "out" / "fei.png")
    assert set(result) == KEYS
    assert result["preview"] == str(tmp_path / "out" / "fei.png")
    assert result["error"] is None and result["warnings"] == []
    assert result["signal_type"] == "image"
    assert result["acquisition_time"] == "2024-03-14T14:15:09"
    assert result["metadata"]["acceleration_voltage"] == {"value": 15.0, "unit": "kV"}
    json.dumps(result)
    assert Image.open(result["preview"]).size == (500, 375)


def test_without_a_preview_path_it_writes_nothing(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    result = process_file(make_msa(folder))
    assert result["preview"] is None
    assert sorted(p.name for p in folder.iterdir()) == ["spectrum.msa"]


def test_the_same_file_gives_the_same_preview_bytes(tmp_path):
    source = make_fei_tiff(tmp_path)
    first = process_file(source, tmp_path / "a.png")["preview"]
    second = process_file(source, tmp_path / "b.png")["preview"]
    digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()  # noqa: E731
    assert digest(first) == digest(second)


@pytest.mark.corpus
def test_a_damaged_image_keeps_its_metadata_and_gets_a_placeholder(tmp_path):
    path = corpus_file("nexuslims/quad1image_001_no_beam_scan_or_system_meta.tif")
    result = process_file(path, tmp_path / "quad.png")
    assert result["error"].startswith("pixel data cannot be decoded")
    assert result["metadata"]["acceleration_voltage"] == {"value": 30.0, "unit": "kV"}
    assert Image.open(result["preview"]).convert("RGB").getpixel((5, 5)) == (225, 225, 225)


def test_data_larger_than_the_memory_limit_is_not_loaded(tmp_path):
    result = process_file(make_fei_tiff(tmp_path), tmp_path / "big.png", max_bytes=100)
    assert result["error"] is None  # the metadata was read; only the preview was refused
    assert result["warnings"] == ["the data would take 3072 bytes in memory, more than the limit of 100; "
                                  "no preview"]
    assert result["metadata"]["pixel_size_x"] == {"value": 2.5, "unit": "nm"}
    assert Image.open(result["preview"]).convert("RGB").getpixel((5, 5)) == (225, 225, 225)


def test_the_time_limit_stops_a_file_in_the_main_thread(tmp_path):
    result = process_file(make_fei_tiff(tmp_path), tmp_path / "slow.png", time_limit=1e-6)
    assert result["error"] == "reading the file took longer than the limit of 1e-06 s"
    assert set(result) == KEYS


def test_the_time_limit_also_works_outside_the_main_thread(tmp_path):
    import tifffile

    source = tmp_path / "big.tif"  # its preview takes hundreds of times the limit, even on a busy machine
    tifffile.imwrite(source, np.random.default_rng(0).integers(0, 60000, (4000, 4000), dtype=np.uint16))
    results = []
    worker = threading.Thread(
        target=lambda: results.append(process_file(source, tmp_path / "big.png", time_limit=0.001)))
    worker.start()
    worker.join()
    # As in the main thread: the alarm stops the reading, or the preview (a warning, the metadata kept).
    reported = [results[0]["error"], *results[0]["warnings"]]
    assert "reading the file took longer than the limit of 0.001 s" in reported


def test_reading_code_that_swallows_exceptions_cannot_outlive_the_time_limit(monkeypatch, tmp_path):
    import time

    from records import process

    finished = []

    def careless_reader(path, preview, size, max_bytes):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # like a library's `except Exception: pass` around each step
            try:
                time.sleep(0.01)
            except Exception:  # noqa: BLE001
                pass
        finished.append(True)
        return {"error": "the reader ran to its end"}

    monkeypatch.setattr(process, "_work", careless_reader)
    result = process._work_on(str(tmp_path / "x.tif"), None, 500, 10**9, 0.05)
    assert result["error"] == "reading the file took longer than the limit of 0.05 s"
    assert not finished


def test_within_the_time_limit_a_worker_thread_gets_the_full_result(tmp_path):
    source = make_msa(tmp_path)
    results = []
    worker = threading.Thread(target=lambda: results.append(process_file(source, None, time_limit=60)))
    worker.start()
    worker.join()
    assert results[0]["metadata"]["acceleration_voltage"] == {"value": 15.0, "unit": "kV"}


def test_it_never_raises_on_a_missing_file(tmp_path):
    result = process_file(tmp_path / "nope.dm3", tmp_path / "nope.png")
    assert result["error"] == "cannot open the file: No such file or directory"
    assert result["preview"] == str(tmp_path / "nope.png")


def test_folders_are_walked_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("x")
    (tmp_path / "a.txt").write_text("y")
    assert expand([tmp_path, tmp_path / "gone"]) == [tmp_path / "a.txt", tmp_path / "b" / "2.txt",
                                                   tmp_path / "gone"]


def test_the_extractor_version_is_a_string():
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_a_file_with_two_images_gives_a_preview_and_metadata_for_each(tmp_path):
    from tests.data.make_dm import make_two_image_dm

    result = process_file(make_two_image_dm(tmp_path), tmp_path / "out" / "two.png")
    assert result["metadata"]["title"] == "HAADF"
    [entry] = result["metadata"]["signals"]
    assert entry["metadata"]["title"] == "BF" and entry["preview"] is True and entry["error"] is None
    assert signal_preview_path(tmp_path / "out" / "two.png", 1) == tmp_path / "out" / "two.1.png"
    assert Image.open(tmp_path / "out" / "two.1.png").size[0] == 500
    json.dumps(result)


def test_a_preview_that_fails_keeps_the_metadata_and_becomes_a_warning(tmp_path):
    from records.extractors.base import Extraction
    from records.process import _render, _result

    def broken():
        raise ValueError("cannot cast these pixels")

    extraction = Extraction(path="x.dm3", format="DigitalMicrograph 3", extractor="dm",
                            metadata={"signal_type": "image", "acceleration_voltage": {"value": 200.0, "unit": "kV"}},
                            loader=broken, data_bytes=10)
    rendered, preview = _render(extraction, tmp_path / "x.png", 500, 1000)
    result = _result(rendered, preview)
    assert result["error"] is None
    assert result["metadata"]["acceleration_voltage"] == {"value": 200.0, "unit": "kV"}
    assert result["warnings"] == ["the data cannot be decoded for a preview: ValueError: cannot cast these pixels"]
    assert Image.open(preview).convert("RGB").getpixel((5, 5)) == (225, 225, 225)  # the placeholder


def test_a_reader_forked_after_the_caller_used_dask_threads_still_computes(tmp_path):
    import dask.array

    from records import limits

    dask.array.ones((64, 64), chunks=16).sum().compute()  # the caller's dask thread pool now has threads
    # a memory limit of its own: this call forks a new reader, after the pool's threads exist
    other_limit = limits.memory_allowance(limits.MAX_DATA_BYTES) + 4096
    result = process_file(make_mrc(tmp_path), tmp_path / "v.png", time_limit=20, memory_limit=other_limit)
    assert result["error"] is None and result["preview"]  # rsciio computes an MRC volume with dask


def test_readers_are_forked_from_a_process_that_has_loaded_their_libraries(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    source = make_msa(tmp_path)
    code = ("import sys; from records.process import process_file; "
            f"process_file({str(source)!r}, {str(tmp_path / 'p.png')!r}); "
            "print(sorted(m for m in ('pint', 'dask.array', 'records.previews.fourd') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.split("\n")[-2] == "['dask.array', 'pint', 'records.previews.fourd']"
