"""records.limits: the operating system holds a reader to its time and memory; the caller goes on."""
import os
import select
import signal
import time

import pytest

from records import limits
from records.errors import ResourceLimitExceeded
from records.process import process_file
from tests.data.make_hostile_tiff import make_tag_bomb_tiff
from tests.data.make_msa import make_msa

MiB = 1024**2


def _spin_in_c(_):
    # One call into C that never looks at signals: an alarm could not interrupt it.
    return sum(range(10**15))


def _allocate(size):
    return len(bytearray(size))


def _pid(_):
    return os.getpid()


def _killed(_):
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would


def _divide(value):
    return 1 / value


@pytest.fixture
def reader():
    readers = []

    def make(function, allowance=None):
        readers.append(limits.Reader(function, allowance))
        return readers[-1]

    yield make
    for made in readers:
        made.stop()


def test_a_reader_stuck_in_c_code_is_killed_at_the_time_limit_and_replaced(reader):
    spinning = reader(_spin_in_c)
    with pytest.raises(ResourceLimitExceeded, match="took longer than the limit of 0.5 s"):
        spinning.call((0,), time_limit=0.5)
    assert spinning.pid is None  # killed; the next call forks a fresh one


def test_a_reader_allocating_beyond_its_allowance_fails_with_a_memory_error(reader):
    allocating = reader(_allocate, 64 * MiB)
    with pytest.raises(ResourceLimitExceeded, match="more memory than the limit of 64 MiB"):
        allocating.call((4 * 1024**3,), time_limit=60)
    assert allocating.call((16 * MiB,), time_limit=60) == 16 * MiB


def test_one_reader_serves_many_files(reader):
    serving = reader(_pid)
    pids = {serving.call((n,), time_limit=60) for n in range(5)}
    assert len(pids) == 1 and os.getpid() not in pids


def test_a_reader_that_dies_is_reported_by_its_signal_and_replaced(reader):
    dying = reader(_killed)
    with pytest.raises(ResourceLimitExceeded, match=r"crashed \(SIGKILL\)"):
        dying.call((0,), time_limit=60)
    with pytest.raises(ResourceLimitExceeded, match=r"crashed \(SIGKILL\)"):
        dying.call((0,), time_limit=60)


def test_a_reader_killed_while_idle_is_replaced_without_failing_the_next_file(reader):
    serving = reader(_pid)
    first = serving.call((0,), time_limit=60)
    os.kill(first, signal.SIGKILL)
    os.waitpid(first, 0)
    assert serving.call((0,), time_limit=60) != first


def test_an_exception_in_the_reader_is_passed_on_by_name(reader):
    with pytest.raises(limits.ChildFailed, match="ZeroDivisionError: division by zero"):
        reader(_divide).call((0,), time_limit=60)


def test_the_caller_hears_a_heartbeat_while_it_waits(reader, monkeypatch):
    monkeypatch.setattr(limits, "HEARTBEAT_SECONDS", 0.05)
    beats = []
    reader(time.sleep).call((0.5,), time_limit=60, heartbeat=lambda: beats.append(1))
    assert len(beats) >= 3


def test_a_tiff_whose_metadata_exceeds_memory_is_that_files_error_and_the_next_file_is_read(tmp_path):
    bomb = make_tag_bomb_tiff(tmp_path)  # 3 GiB of ImageDescription, a few KiB on disk
    result = process_file(bomb, tmp_path / "bomb.png", max_bytes=64 * MiB)
    # Without the cap the read would simply succeed on this machine, using 3 GiB.
    assert "MemoryError" in result["error"]
    following = process_file(make_msa(tmp_path), None)
    assert following["error"] is None
    assert following["metadata"]["acceleration_voltage"] == {"value": 15.0, "unit": "kV"}


def test_a_reader_holds_none_of_the_callers_other_descriptors(reader):
    read_end, write_end = os.pipe()  # as a subprocess's or a browser driver's pipe of the caller
    try:
        serving = reader(_pid)
        serving.call((0,), time_limit=60)
        os.close(write_end)
        # With the reader holding a copy of the write end, the pipe would never end.
        assert select.select([read_end], [], [], 10)[0] == [read_end]
        assert os.read(read_end, 1) == b""
    finally:
        os.close(read_end)


def test_a_reader_its_caller_dropped_is_stopped():
    import gc

    dropped = limits.Reader(_pid, None)
    pid = dropped.call((0,), time_limit=60)
    del dropped
    gc.collect()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
