"""The window explains every problem in a dialog: no server, no name, an unregistered PC."""
import pytest

from .conftest import Window, screenshot


@pytest.fixture
def window(xvfb, make_config):
    windows = []

    def make(**overrides):
        windows.append(Window(make_config(**overrides)))
        return windows[-1]

    yield make
    for window in windows:
        window.close()


def test_it_says_when_the_server_cannot_be_reached_and_still_lets_the_operator_start(window, xvfb, watched):
    w = window(scan_interval="0.1")
    dialog = w.dialog("Logger")
    assert "The LIMS server cannot be reached" in dialog.message
    assert dialog.kind == "error"
    screenshot(xvfb, "logger-server-unreachable")
    dialog.buttons["OK"].invoke()
    assert w.app.instrument_var.get() == "Instrument unknown"

    (watched / "a.dm3").write_bytes(b"x" * 100)
    w.app.vars["user"].set("alice")
    w.app.start_button.invoke()
    status = w.pump(lambda: (lambda s: s if s["found"] == 1 and s["online"] is False else None)(
        w.app.controller.status()), what="the file to be queued while offline")
    assert status["phase"] == "starting"
    assert status["sent"] == 0
    assert "Server unreachable, files are queued" in w.app.status_var.get()


def test_it_refuses_to_start_without_a_name(window):
    w = window()
    w.dialog("Logger").buttons["OK"].invoke()   # the server is down in this test
    w.app.vars["user"].set("   ")
    w.app.start_button.invoke()
    dialog = w.dialog("Logger")
    assert dialog.message == "Please enter your name before starting."
    assert w.app.controller.state.open is False
    assert str(w.app.start_button["state"]) == "normal"


def test_the_version_is_in_the_window_title(window):
    from logger import __version__

    w = window()
    assert w.root.title() == f"LIMS logger {__version__}"
