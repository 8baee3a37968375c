"""The scanner waits for files to settle, spots new versions and vanished files, and honours patterns."""
import os

from logger.scanner import NEW_VERSION, READY, VANISHED, Scanner


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def _write(path, data, mtime):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))


def test_a_file_is_ready_only_after_it_stopped_changing_for_the_settle_interval(tmp_path):
    clock = Clock()
    scanner = Scanner(str(tmp_path), settle=5, clock=clock)
    _write(tmp_path / "a.dm3", b"x" * 10, 100)
    assert scanner.scan() == []
    clock.now += 3
    _write(tmp_path / "a.dm3", b"x" * 20, 103)   # still growing
    assert scanner.scan() == []
    clock.now += 4
    assert scanner.scan() == []                  # only 4 s since the last change
    assert scanner.waiting() == 1
    clock.now += 1.5
    assert scanner.scan() == [(READY, "a.dm3", 20, 103)]
    clock.now += 10
    assert scanner.scan() == []


def test_a_changed_file_that_was_already_handed_out_is_a_new_version(tmp_path):
    clock = Clock()
    scanner = Scanner(str(tmp_path), settle=0, clock=clock)
    _write(tmp_path / "spectrum.msa", b"one", 100)
    assert scanner.scan() == [(READY, "spectrum.msa", 3, 100)]
    _write(tmp_path / "spectrum.msa", b"three", 200)
    assert scanner.scan() == [(NEW_VERSION, "spectrum.msa", 5, 200)]


def test_files_marked_done_in_an_earlier_run_are_not_reported_again(tmp_path):
    scanner = Scanner(str(tmp_path), settle=0, clock=Clock())
    _write(tmp_path / "old.tif", b"abc", 100)
    scanner.mark_done("old.tif", 3, 100)
    assert scanner.scan() == []


def test_a_file_that_vanishes_while_settling_is_reported(tmp_path):
    clock = Clock()
    scanner = Scanner(str(tmp_path), settle=5, clock=clock)
    _write(tmp_path / "tmp-image.tif", b"abc", 100)
    assert scanner.scan() == []
    (tmp_path / "tmp-image.tif").unlink()
    clock.now += 6
    assert scanner.scan() == [(VANISHED, "tmp-image.tif", None, None)]
    assert scanner.waiting() == 0


def test_it_honours_include_and_exclude_patterns_in_subfolders_case_insensitively(tmp_path):
    scanner = Scanner(str(tmp_path), include=["*.dm3", "*.TIF"], exclude=["~*", "scratch"], settle=0, clock=Clock())
    _write(tmp_path / "a.DM3", b"1", 100)
    _write(tmp_path / "b.tif", b"22", 100)
    _write(tmp_path / "c.txt", b"3", 100)
    _write(tmp_path / "~lock.dm3", b"4", 100)
    _write(tmp_path / "scratch" / "d.dm3", b"5", 100)
    _write(tmp_path / "day1" / "e.dm3", b"666", 100)
    assert scanner.scan() == [(READY, "a.DM3", 1, 100), (READY, "b.tif", 2, 100), (READY, "day1/e.dm3", 3, 100)]


def test_only_files_modified_since_the_session_start_count(tmp_path):
    scanner = Scanner(str(tmp_path), settle=0, since=1000, clock=Clock())
    _write(tmp_path / "before.dm3", b"1", 999)
    _write(tmp_path / "during.dm3", b"2", 1001)
    assert scanner.scan() == [(READY, "during.dm3", 1, 1001)]
