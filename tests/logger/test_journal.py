"""The journal survives crashes: entries are replayed, a torn last line is cut off, compaction keeps the state."""
import json

from logger.journal import JOURNAL_NAME, Journal

SESSION = {"id": "0b6c1f9e-1111-4222-8333-444455556666", "user": "alice", "sample": "Au grid", "project": "",
           "purpose": "", "start": "2026-11-22T08:00:00+00:00", "since": 1700000000.0, "instrument": "titan"}


def _fill(journal):
    journal.append({"t": "start", "session": SESSION})
    journal.append({"t": "created"})
    journal.append({"t": "heartbeat", "at": "2026-11-22T08:01:00+00:00"})
    journal.append({"t": "heartbeat", "at": "2026-11-22T08:02:00+00:00"})
    journal.append({"t": "file", "path": "a.dm3", "size": 10, "mtime": 1.5, "sha256": "aa"})
    journal.append({"t": "file", "path": "b/c.tif", "size": 20, "mtime": 2.5, "sha256": "bb"})
    journal.append({"t": "upload", "path": "a.dm3", "sha256": "aa", "url": "/api/v1/uploads/1"})
    journal.append({"t": "sent", "path": "a.dm3", "sha256": "aa"})
    journal.append({"t": "note", "n": 1, "text": "tilt series", "at": "2026-11-22T08:03:00+00:00"})


def test_it_replays_every_entry_after_a_restart(tmp_path):
    journal = Journal(str(tmp_path))
    _fill(journal)
    journal.close()

    again = Journal(str(tmp_path))
    state = again.state
    assert state.session["id"] == SESSION["id"]
    assert state.created is True
    assert state.last_heartbeat == "2026-11-22T08:02:00+00:00"
    assert state.sent_files() == ["a.dm3"]
    assert state.pending_files() == ["b/c.tif"]
    assert state.files["a.dm3"]["url"] == "/api/v1/uploads/1"
    assert [note["text"] for note in state.notes] == ["tilt series"]
    assert again.torn is False and again.skipped == 0


def test_it_cuts_off_a_torn_last_line_and_keeps_appending(tmp_path):
    journal = Journal(str(tmp_path))
    _fill(journal)
    journal.close()
    path = tmp_path / JOURNAL_NAME
    whole = path.read_bytes()
    with open(path, "ab") as handle:
        handle.write(b'{"t":"sent","path":"b/c.t')   # the crash happened mid-write

    again = Journal(str(tmp_path))
    assert again.torn is True
    assert again.state.pending_files() == ["b/c.tif"]
    assert path.read_bytes() == whole
    again.append({"t": "sent", "path": "b/c.tif", "sha256": "bb"})
    again.close()
    assert Journal(str(tmp_path)).state.sent_files() == ["a.dm3", "b/c.tif"]


def test_it_skips_an_unreadable_line_in_the_middle(tmp_path):
    journal = Journal(str(tmp_path))
    journal.append({"t": "start", "session": SESSION})
    journal.close()
    with open(tmp_path / JOURNAL_NAME, "ab") as handle:
        handle.write(b"\x00\x00garbage\n")
        handle.write(b'{"t":"created"}\n')
    again = Journal(str(tmp_path))
    assert again.skipped == 1
    assert again.state.created is True


def test_compaction_keeps_the_state_and_shrinks_the_file(tmp_path):
    journal = Journal(str(tmp_path))
    _fill(journal)
    for minute in range(3, 60):
        journal.append({"t": "heartbeat", "at": f"2026-11-22T08:{minute:02d}:00+00:00"})
    before = journal.size()
    journal.compact()
    assert journal.size() < before / 3
    journal.close()

    lines = (tmp_path / JOURNAL_NAME).read_text().splitlines()
    assert [json.loads(line)["t"] for line in lines].count("heartbeat") == 1
    state = Journal(str(tmp_path)).state
    assert state.last_heartbeat == "2026-11-22T08:59:00+00:00"
    assert state.sent_files() == ["a.dm3"] and state.pending_files() == ["b/c.tif"]
    assert state.files["a.dm3"]["url"] == "/api/v1/uploads/1"
    assert not (tmp_path / (JOURNAL_NAME + ".tmp")).exists()


def test_a_closed_session_compacts_to_an_empty_journal(tmp_path):
    journal = Journal(str(tmp_path))
    _fill(journal)
    journal.append({"t": "end", "at": "2026-11-22T09:00:00+00:00"})
    journal.append({"t": "ended", "record_url": "http://lims/records/x/"})
    assert journal.state.record_url == "http://lims/records/x/"
    journal.append({"t": "closed"})
    journal.compact()
    assert journal.size() == 0
    assert journal.state.open is False


def test_a_new_version_replaces_the_sent_one_and_is_pending_again(tmp_path):
    journal = Journal(str(tmp_path))
    _fill(journal)
    journal.append({"t": "file", "path": "a.dm3", "size": 12, "mtime": 9.0, "sha256": "a2"})
    assert journal.state.pending_files() == ["a.dm3", "b/c.tif"]
    journal.append({"t": "sent", "path": "a.dm3", "sha256": "aa"})   # a late ack of the old version
    assert "a.dm3" in journal.state.pending_files()
