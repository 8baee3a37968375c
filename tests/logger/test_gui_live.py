"""The window against a live server: identify, start, note, end with the record link, crash recovery."""
import os
import time

import pytest

from logger.session import Controller, iso

from .conftest import Window, screenshot, stored_files

pytestmark = pytest.mark.live


@pytest.fixture
def gui_config(lims_server, make_config):
    def make(**overrides):
        values = dict(server=lims_server.url, token=lims_server.token, hostname="titan-pc", settle="0.3",
                      scan_interval="0.2", heartbeat="1", retries="3")
        values.update(overrides)
        return make_config(**values)

    return make


@pytest.fixture
def window(xvfb):
    windows = []

    def make(config):
        windows.append(Window(config))
        return windows[-1]

    yield make
    for w in windows:
        w.close()


def _texts(widget) -> list:
    """Every text shown by labels under `widget`."""
    found = []
    for child in widget.winfo_children():
        try:
            found.append(str(child.cget("text")))
        except Exception:  # noqa: BLE001 - frames have no text
            pass
        found.extend(_texts(child))
    return found


def test_an_operator_starts_adds_a_note_and_ends_and_sees_the_record_link(window, gui_config, watched, xvfb,
                                                                          lims_server):
    w = window(gui_config())
    w.pump(lambda: "FEI Titan (titan) - Room 101" == w.app.instrument_var.get(), what="the instrument name")
    shown = _texts(w.app.root)
    assert str(watched) in shown and lims_server.url in shown  # which folder, which server
    w.app.vars["user"].set("alice")
    w.app.vars["sample"].set("Au nanoparticles")
    w.app.start_button.invoke()
    w.pump(lambda: w.app.controller.phase() == "active", what="the session to start")
    session_id = w.app.controller.status()["session_id"]

    (watched / "image-001.tif").write_bytes(b"\x49\x49" + os.urandom(5000))
    (watched / "run2").mkdir()
    (watched / "run2" / "spectrum.msa").write_bytes(b"#FORMAT : EMSA/MAS Spectral Data File\n" + b"1, 2\n" * 100)
    w.pump(lambda: w.app.controller.status()["sent"] == 2, what="both files to be sent")
    w.app.note_var.set("beam current 1 nA")
    w.app.note_button.invoke()
    assert w.app.note_status.get() == "Note 1 saved on this PC; sending it to the server..."
    w.pump(lambda: all(note["sent"] for note in w.app.controller.state.notes), what="the note to be sent")
    w.pump(lambda: w.app.note_status.get() == "Note 1 saved on the server.", what="the note's state")
    w.pump(lambda: w.app.live["files"].get().startswith("2 found, 2 sent"), what="the live panel")
    shot = screenshot(xvfb, "logger-window-recording")
    assert shot.stat().st_size > 1000

    w.app.end_button.invoke()
    dialog = w.dialog("Session ended", timeout=180)
    screenshot(xvfb, "logger-window-ended")
    link = w.app.live["link"].get()
    assert link.startswith("http") and session_id in dialog.message or link in dialog.message
    assert "2 file(s) sent" in dialog.message
    assert set(dialog.buttons) == {"Open record", "Copy link", "OK"}
    w.app.copy_button.invoke()
    assert w.app.root.clipboard_get() == link
    assert (w.app.vars["sample"].get(), w.app.vars["user"].get()) == ("", "alice")  # cleared for the next operator

    from lims.sessions.models import Session, SessionEvent

    session = Session.objects.get(pk=session_id)
    assert session.user == "alice" and session.sample == "Au nanoparticles"
    assert session.state != Session.State.ACTIVE
    assert list(SessionEvent.objects.filter(session=session, kind="NOTE").values_list("text", flat=True)) == [
        "beam current 1 nA"]
    assert sorted(stored_files(session_id)) == ["image-001.tif", "run2/spectrum.msa"]
    assert w.app.controller.state.open is False
    assert str(w.app.start_button["state"]) == "normal"

    again = window(gui_config())
    assert again.app.vars["user"].get() == "alice"


def test_an_unregistered_pc_is_told_so(window, gui_config):
    w = window(gui_config(hostname="UNKNOWN-PC"))
    dialog = w.dialog("Logger")
    assert "this PC (UNKNOWN-PC) is not registered as an instrument" in dialog.message
    assert w.app.instrument_var.get() == "Instrument unknown"


def _interrupted_session(config, watched):
    """A session started and sent one file, then the logger 'crashed' (nothing ended, journal kept)."""
    controller = Controller(config)
    controller.identify()
    session_id = controller.start("bob", sample="steel")
    (watched / "before-crash.dm3").write_bytes(os.urandom(3000))
    deadline = time.monotonic() + 60
    while controller.status()["sent"] < 1 or not controller.state.last_heartbeat:
        assert time.monotonic() < deadline, controller.status()
        controller.tick()
        time.sleep(0.1)
    heartbeat = controller.state.last_heartbeat
    controller.shutdown()
    return session_id, heartbeat


def test_after_a_crash_the_next_launch_offers_continue_and_continuing_keeps_the_session(window, gui_config, watched,
                                                                                           xvfb):
    config = gui_config()
    session_id, _beat = _interrupted_session(config, watched)
    w = window(gui_config())
    dialog = w.dialog("Interrupted session")
    assert "The session of bob" in dialog.message
    assert set(dialog.buttons) == {"Continue", "End it"}
    screenshot(xvfb, "logger-crash-recovery")
    dialog.buttons["Continue"].invoke()
    w.pump(lambda: w.app.controller.phase() == "active", what="the session to continue")
    assert w.app.controller.status()["session_id"] == session_id
    (watched / "after-crash.dm3").write_bytes(os.urandom(2000))
    w.pump(lambda: w.app.controller.status()["sent"] == 2, what="the new file to be sent")
    w.app.end_button.invoke()
    w.dialog("Session ended", timeout=180)
    assert sorted(stored_files(session_id)) == ["after-crash.dm3", "before-crash.dm3"]


def test_ending_an_interrupted_session_ends_it_at_its_last_heartbeat(window, gui_config, watched):
    config = gui_config()
    session_id, heartbeat = _interrupted_session(config, watched)
    w = window(gui_config())
    w.dialog("Interrupted session").buttons["End it"].invoke()
    w.dialog("Session ended", timeout=180)

    from datetime import datetime

    from lims.sessions.models import Session

    session = Session.objects.get(pk=session_id)
    assert session.state != Session.State.ACTIVE
    assert session.end == datetime.fromisoformat(heartbeat)
    assert iso(session.end.timestamp()) == heartbeat


def test_a_file_the_server_refuses_is_explained_in_a_dialog(window, gui_config, watched):
    w = window(gui_config())
    w.pump(lambda: w.app.instrument_var.get().startswith("FEI Titan"), what="the instrument name")
    w.app.vars["user"].set("charlie")
    w.app.start_button.invoke()
    w.pump(lambda: w.app.controller.phase() == "active", what="the session to start")
    (watched / "bad\x01name.dm3").write_bytes(b"a control character in the name")
    dialog = w.dialog("Logger")
    assert dialog.message.startswith("The server refused bad\x01name.dm3: ")
    assert "control characters" in dialog.message
    dialog.buttons["OK"].invoke()
    w.pump(lambda: ", 1 refused" in w.app.live["files"].get(), what="the refused count in the live panel")
    w.app.end_button.invoke()
    ended = w.dialog("Session ended", timeout=180)
    assert ended.kind == "error"
    assert "NOT stored by the server (1):\nbad\x01name.dm3: " in ended.message
    assert w.app.status_var.get() == "Session ended; 1 not stored."
