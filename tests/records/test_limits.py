"""records.limits: the operating system holds one reader to its time and memory; the caller goes on."""
import os
import signal
import time

import pytest

from records import limits
from records.errors import ResourceLimitExceeded
from records.process import process_file
from tests.data.make_hostile_tiff import make_tag_bomb_tiff
from tests.data.make_msa import make_msa

MiB = 1024**2


def _spin_in_c():
    # One call into C that never looks at signals: an alarm could not interrupt it.
    return sum(range(10**15))


def _allocate(size):
    return len(bytearray(size))


def test_a_reader_stuck_in_c_code_is_killed_at_the_time_limit():
    with pytest.raises(ResourceLimitExceeded, match="took longer than the limit of 0.5 s"):
        limits.run(_spin_in_c, (), time_limit=0.5, allowance=None)


def test_a_reader_allocating_beyond_its_allowance_fails_with_a_memory_error():
    with pytest.raises(ResourceLimitExceeded, match="more memory than the limit of 64 MiB"):
        limits.run(_allocate, (4 * 1024**3,), time_limit=60, allowance=64 * MiB)


def test_within_its_limits_a_reader_returns_its_result():
    assert limits.run(_allocate, (16 * MiB,), time_limit=60, allowance=64 * MiB) == 16 * MiB


def _killed():
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would


def test_a_reader_that_dies_is_reported_by_its_signal():
    with pytest.raises(ResourceLimitExceeded, match=r"crashed \(SIGKILL\)"):
        limits.run(_killed, (), time_limit=60, allowance=None)


def test_an_exception_in_the_reader_is_passed_on_by_name():
    with pytest.raises(limits.ChildFailed, match="ZeroDivisionError: division by zero"):
        limits.run(lambda: 1 / 0, (), time_limit=60, allowance=None)


def test_the_caller_hears_a_heartbeat_while_it_waits(monkeypatch):
    monkeypatch.setattr(limits, "HEARTBEAT_SECONDS", 0.05)
    beats = []
    limits.run(time.sleep, (0.5,), time_limit=60, allowance=None, heartbeat=lambda: beats.append(1))
    assert len(beats) >= 3


def test_a_tiff_whose_metadata_exceeds_memory_is_that_files_error_and_the_next_file_is_read(tmp_path):
    bomb = make_tag_bomb_tiff(tmp_path)  # 3 GiB of ImageDescription, a few KiB on disk
    result = process_file(bomb, tmp_path / "bomb.png", max_bytes=64 * MiB)
    # Without the cap the read would simply succeed on this machine, using 3 GiB.
    assert "MemoryError" in result["error"]
    following = process_file(make_msa(tmp_path), None)
    assert following["error"] is None
    assert following["metadata"]["acceleration_voltage"] == {"value": 15.0, "unit": "kV"}
