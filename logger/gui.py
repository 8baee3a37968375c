"""The logger window (Tk/ttk): identify the instrument, start, watch progress, add notes, end."""
import logging
import os
import queue
import sys
import threading
import time
import tkinter
import webbrowser
from tkinter import ttk

from . import __version__
from .api import ApiError, Offline
from .session import ACTIVE, ENDED, ENDING, FAILED, IDLE, STARTING, Controller, Runner, UnknownInstrument, epoch

TITLE = "LIMS logger " + __version__
POLL_MS = 250
OPERATOR_FILE = "operator.txt"
FIELDS = (("user", "Your name"), ("sample", "Sample"), ("project", "Project"), ("purpose", "Purpose"))

log = logging.getLogger(__name__)


def human_bytes(count):
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return ("{0:.0f} {1}" if unit == "B" else "{0:.1f} {1}").format(count, unit)
        count /= 1024.0


def local_time(text):
    """An ISO timestamp from the journal as local wall-clock time, e.g. '2026-11-22 14:05'."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch(text)))


def human_duration(seconds):
    seconds = int(max(seconds, 0))
    return "{0}:{1:02d}:{2:02d}".format(seconds // 3600, seconds // 60 % 60, seconds % 60)


class Dialog(object):
    """A small modal message window with named buttons; `buttons[label].invoke()` presses one."""

    def __init__(self, app, title, message, choices=(("OK", None),), kind="info"):
        self.app = app
        self.title = title
        self.message = message
        self.kind = kind
        self.window = tkinter.Toplevel(app.root)
        self.window.title(title)
        self.window.transient(app.root)
        self.window.resizable(False, False)
        frame = ttk.Frame(self.window, padding=14)
        frame.pack(fill="both", expand=True)
        self.label = ttk.Label(frame, text=message, wraplength=380, justify="left",
                               foreground="#a00000" if kind == "error" else "")
        self.label.pack(anchor="w", pady=(0, 12))
        row = ttk.Frame(frame)
        row.pack(anchor="e")
        self.buttons = {}
        for label, action in choices:
            button = ttk.Button(row, text=label, command=lambda action=action: self._press(action))
            button.pack(side="left", padx=4)
            self.buttons[label] = button
        self.window.protocol("WM_DELETE_WINDOW", lambda: self._press(choices[-1][1]))
        app.dialogs.append(self)
        self.window.geometry("+{0}+{1}".format(app.root.winfo_rootx() + 40, app.root.winfo_rooty() + 60))
        self.window.update_idletasks()
        try:
            self.window.grab_set()
        except tkinter.TclError:
            pass
        log.info("dialog %r: %s", title, message)

    @property
    def open(self):
        return self in self.app.dialogs

    def _press(self, action):
        if self in self.app.dialogs:
            self.app.dialogs.remove(self)
        self.window.grab_release()
        self.window.destroy()
        if action is not None:
            action()


class App(object):
    """The window; every network call runs off the Tk thread and reports back through a queue."""

    def __init__(self, root, config, controller=None):
        self.root = root
        self.config = config
        self.controller = controller or Controller(config)
        self.runner = None
        self.dialogs = []
        self._results = queue.Queue()
        self._shown_fatal = None
        self._refused_shown = set()
        self._closing = False
        root.title(TITLE)
        root.protocol("WM_DELETE_WINDOW", self.close)
        self._build()
        self.root.after(POLL_MS, self._poll)
        self.identify()
        self._offer_recovery()

    # -- layout --------------------------------------------------------------------------

    def _build(self):
        outer = ttk.Frame(self.root, padding=12)
        outer.pack(fill="both", expand=True)
        top = ttk.Frame(outer)
        top.pack(fill="x")
        self.instrument_var = tkinter.StringVar(value="Looking up this instrument...")
        self.instrument_label = ttk.Label(top, textvariable=self.instrument_var, font=("TkDefaultFont", 11, "bold"))
        self.instrument_label.pack(side="left")
        self.retry_button = ttk.Button(top, text="Retry", command=self.identify)
        where = ttk.Frame(outer)
        where.pack(fill="x", pady=(4, 0))
        for row, (label, value) in enumerate((("Watching", self.config.folder), ("Server", self.config.server))):
            ttk.Label(where, text=label, foreground="#555555").grid(row=row, column=0, sticky="w", padx=(0, 8))
            ttk.Label(where, text=value or "-").grid(row=row, column=1, sticky="w")

        form = ttk.LabelFrame(outer, text="Session", padding=8)
        form.pack(fill="x", pady=8)
        self.vars = {}
        self.entries = {}
        for row, (key, label) in enumerate(FIELDS):
            ttk.Label(form, text=label).grid(row=row, column=0, sticky="w", pady=2)
            self.vars[key] = tkinter.StringVar()
            entry = ttk.Entry(form, textvariable=self.vars[key], width=40)
            entry.grid(row=row, column=1, sticky="we", pady=2)
            self.entries[key] = entry
        form.columnconfigure(1, weight=1)
        self.vars["user"].set(self._remembered_user())
        self.start_button = ttk.Button(form, text="Start", command=self.start)
        self.start_button.grid(row=len(FIELDS), column=1, sticky="e", pady=(6, 0))

        live = ttk.LabelFrame(outer, text="Progress", padding=8)
        live.pack(fill="x")
        self.live = {}
        for row, (key, label) in enumerate((("elapsed", "Elapsed"), ("files", "Files"), ("bytes", "Sent"),
                                            ("current", "Sending"), ("link", "Record"))):
            ttk.Label(live, text=label).grid(row=row, column=0, sticky="w")
            self.live[key] = tkinter.StringVar(value="-")
            if key != "link":
                ttk.Label(live, textvariable=self.live[key], width=52).grid(row=row, column=1, sticky="w")
        # The record's address: selectable and copyable, with buttons to copy it or open it in a browser.
        link = ttk.Frame(live)
        link.grid(row=4, column=1, sticky="we")
        self.link_entry = ttk.Entry(link, textvariable=self.live["link"], width=40, state="readonly")
        self.link_entry.pack(side="left", fill="x", expand=True)
        self.copy_button = ttk.Button(link, text="Copy", width=6, command=self.copy_link, state="disabled")
        self.copy_button.pack(side="left", padx=(4, 0))
        self.open_button = ttk.Button(link, text="Open", width=6, command=self.open_link, state="disabled")
        self.open_button.pack(side="left", padx=(4, 0))
        self.progress = ttk.Progressbar(live, mode="determinate", maximum=1.0, length=360)
        self.progress.grid(row=5, column=0, columnspan=2, sticky="we", pady=4)

        notes = ttk.Frame(outer)
        notes.pack(fill="x", pady=6)
        self.note_var = tkinter.StringVar()
        self.note_entry = ttk.Entry(notes, textvariable=self.note_var, width=40)
        self.note_entry.pack(side="left", fill="x", expand=True)
        self.note_button = ttk.Button(notes, text="Add note", command=self.add_note)
        self.note_button.pack(side="left", padx=4)
        self.note_status = tkinter.StringVar(value="")
        ttk.Label(outer, textvariable=self.note_status, foreground="#555555").pack(anchor="w")
        self.end_button = ttk.Button(outer, text="End session", command=self.end)
        self.end_button.pack(anchor="e")
        self.status_var = tkinter.StringVar(value="")
        ttk.Label(outer, textvariable=self.status_var, foreground="#555555", wraplength=460).pack(anchor="w", pady=4)
        self._set_running(False)

    def _set_running(self, running):
        for entry in self.entries.values():
            entry.configure(state="disabled" if running else "normal")
        self.start_button.configure(state="disabled" if running else "normal")
        for widget in (self.note_entry, self.note_button, self.end_button):
            widget.configure(state="normal" if running else "disabled")

    # -- background work -----------------------------------------------------------------

    def _background(self, work, done):
        def run():
            try:
                self._results.put((done, work(), None))
            except Exception as exc:
                self._results.put((done, None, exc))
        thread = threading.Thread(target=run, name="logger-call")
        thread.daemon = True
        thread.start()

    def _poll(self):
        if self._closing:
            return
        while True:
            try:
                done, result, error = self._results.get_nowait()
            except queue.Empty:
                break
            done(result, error)
        self.refresh()
        self.root.after(POLL_MS, self._poll)

    # -- actions -------------------------------------------------------------------------

    def identify(self):
        self.retry_button.pack_forget()
        self.instrument_var.set("Looking up this instrument...")
        self._background(self.controller.identify, self._identified)

    def _identified(self, instrument, error):
        if error is None:
            self.instrument_var.set("{0} ({1}){2}".format(instrument.get("name"), instrument.get("pid"),
                                                         " - " + instrument["location"] if instrument.get("location") else ""))
            return
        if isinstance(error, UnknownInstrument):
            text = str(error)
        elif isinstance(error, Offline):
            text = "The LIMS server cannot be reached ({0}). You can still start: files are sent once it is back.".format(error)
        elif isinstance(error, ApiError) and error.status in (401, 403):
            text = "The server did not accept this PC's token: {0}. Check the token in {1}.".format(
                error.detail, self.config.path or "logger.ini")
        else:
            text = "Cannot identify this instrument: {0}".format(error)
        self.instrument_var.set("Instrument unknown")
        self.retry_button.pack(side="left", padx=8)
        self.error(text)

    def _offer_recovery(self):
        session = self.controller.interrupted()
        if not session:
            return
        for key, _label in FIELDS:
            self.vars[key].set(session.get(key) or "")
        if self.controller.state.end_at:
            self._resume(self.controller.resume)
            return
        beat = self.controller.state.last_heartbeat or session["start"]
        Dialog(self, "Interrupted session",
               "The session of {0} started {1} was interrupted (last sign of life {2}).\n"
               "Continue it, or end it at its last sign of life?".format(session["user"], local_time(session["start"]),
                                                                          local_time(beat)),
               (("Continue", lambda: self._resume(self.controller.resume)),
                ("End it", lambda: self._resume(self.controller.end_interrupted))))

    def _resume(self, how):
        how()
        self._set_running(True)
        self._start_runner()

    def _start_runner(self):
        if self.runner is None:
            self.runner = Runner(self.controller, self.config.scan_interval)
            self.runner.start()

    def start(self):
        values = dict((key, var.get().strip()) for key, var in self.vars.items())
        if not values["user"]:
            self.error("Please enter your name before starting.")
            return
        self._remember_user(values["user"])
        self.note_status.set("")
        self._set_running(True)
        self.status_var.set("Starting...")
        self._background(lambda: self.controller.start(values["user"], values["sample"], values["project"],
                                                       values["purpose"]), self._started)

    def _started(self, session_id, error):
        if error is not None:
            self._set_running(False)
            if isinstance(error, ApiError) and error.code == "session_open":
                self.error("Another session is already open on this instrument ({0}). End it from the LIMS or "
                           "ask the facility staff.".format(error.body.get("open_session", "")))
            elif isinstance(error, ApiError):
                self.error("The server refused to start the session: {0}".format(error.detail))
            else:
                self.error(str(error))
            return
        self._start_runner()

    def add_note(self):
        text = self.note_var.get().strip()
        if not text:
            self.error("The note is empty.")
            return
        self.controller.note(text)
        self.note_var.set("")
        self._show_note_state()

    def _show_note_state(self):
        notes = self.controller.state.notes
        if not notes:
            return
        unsent = [note for note in notes if not note.get("sent")]
        if unsent:
            self.note_status.set("Note {0} saved on this PC; sending it to the server...".format(unsent[0]["n"]))
        else:
            self.note_status.set("Note {0} saved on the server.".format(notes[-1]["n"]))

    def copy_link(self):
        url = self.live["link"].get()
        self.root.clipboard_clear()
        self.root.clipboard_append(url)
        self.status_var.set("Record link copied.")

    def open_link(self):
        url = self.live["link"].get()
        if url.startswith(("http://", "https://")):
            webbrowser.open(url)

    def end(self):
        self.controller.request_end()
        self.end_button.configure(state="disabled")
        self.note_button.configure(state="disabled")

    def error(self, message):
        return Dialog(self, "Logger", message, kind="error")

    def close(self):
        phase = self.controller.phase()
        if phase in (ACTIVE, STARTING):
            Dialog(self, "Session running", "A session is still running. End it before closing.",
                   (("End session", self.end), ("Cancel", None)))
            return
        if phase == ENDING and self.controller.state.pending_files():
            Dialog(self, "Files still queued",
                   "{0} file(s) are not sent yet. If you close now they are sent the next time the logger "
                   "starts.".format(len(self.controller.state.pending_files())),
                   (("Close anyway", self.destroy), ("Wait", None)))
            return
        self.destroy()

    def destroy(self):
        self._closing = True
        if self.runner is not None:
            self.runner.stop()
            self.runner.join(10)
        self.controller.shutdown()
        self.root.destroy()

    # -- display -------------------------------------------------------------------------

    def refresh(self):
        status = self.controller.status()
        phase = status["phase"]
        if phase == IDLE:
            return
        self.live["elapsed"].set(human_duration(status["elapsed"]))
        extracted = status["extracted"]
        self.live["files"].set("{0} found, {1} sent, {2} extracted{3}".format(
            status["found"], status["sent"], "-" if extracted is None else extracted,
            ", {0} refused".format(status["failed"]) if status["failed"] else ""))
        self.live["bytes"].set("{0} of {1}".format(human_bytes(status["bytes_sent"]), human_bytes(status["bytes_total"])))
        current = status["current"]
        if current:
            self.live["current"].set("{0} ({1}%)".format(current[0], int(100 * current[1] / max(current[2], 1))))
        else:
            self.live["current"].set("-")
        self.progress["value"] = status["bytes_sent"] / float(status["bytes_total"]) if status["bytes_total"] else 0
        self._report_refused()
        self._show_note_state()
        if phase == ENDING:
            self.status_var.set(status["message"] or "Ending: {0} file(s) left to send...".format(status["pending"]))
        elif phase == FAILED:
            if self._shown_fatal != status["message"]:
                self._shown_fatal = status["message"]
                self.error(status["message"])
        else:
            self.status_var.set(status["message"] or ("Recording" if phase == ACTIVE else "Starting..."))
        if phase == ENDED:
            self._ended(status)

    def _report_refused(self):
        state = self.controller.state
        for path in state.failed_files():
            if path not in self._refused_shown:
                self._refused_shown.add(path)
                self.error("The server refused {0}: {1}\nThe other files are not affected.".format(
                    path, state.files[path]["failed"]))
        for note in state.failed_notes():
            key = ("note", note["n"])
            if key not in self._refused_shown:
                self._refused_shown.add(key)
                self.error("The server refused the note {0!r}: {1}".format(note["text"], note["failed"]))

    def _not_stored(self):
        """Lines naming what the server did not store, for the end of the session."""
        state = self.controller.state
        lines = ["{0}: {1}".format(path, state.files[path]["failed"]) for path in state.failed_files()]
        lines += ["note {0!r}: {1}".format(note["text"], note["failed"]) for note in state.failed_notes()]
        return lines

    def _ended(self, status):
        url = status["record_url"] or "(the server did not give the address)"
        self.live["link"].set(url)
        if status["record_url"]:
            self.copy_button.configure(state="normal")
            self.open_button.configure(state="normal")
        for key in ("sample", "project", "purpose"):  # the next operator starts clean; the name stays
            self.vars[key].set("")
        not_stored = self._not_stored()
        self.status_var.set("Session ended; {0} not stored.".format(len(not_stored)) if not_stored else "Session ended.")
        self.controller.close_session()
        if self.runner is not None:
            self.runner.stop()
            self.runner = None
        self._set_running(False)
        choices = (("Open record", self.open_link), ("Copy link", self.copy_link), ("OK", None)) \
            if status["record_url"] else (("OK", None),)
        message = "Session ended. {0} file(s) sent.\nThe record will be at:\n{1}".format(status["sent"], url)
        if not_stored:
            message += "\n\nNOT stored by the server ({0}):\n{1}".format(len(not_stored), "\n".join(not_stored[:10]))
        self.ended_dialog = Dialog(self, "Session ended", message, choices, kind="error" if not_stored else "info")

    # -- remembered name -----------------------------------------------------------------

    def _remembered_user(self):
        try:
            with open(os.path.join(self.config.state_dir, OPERATOR_FILE), encoding="utf-8") as handle:
                return handle.read().strip()
        except (IOError, OSError):
            return ""

    def _remember_user(self, name):
        try:
            with open(os.path.join(self.config.state_dir, OPERATOR_FILE), "w", encoding="utf-8") as handle:
                handle.write(name)
        except (IOError, OSError):
            log.warning("cannot remember the operator's name", exc_info=True)



def show_fatal(title, message):
    """A window that only shows an error (bad settings, already running) and closes on OK."""
    try:
        root = tkinter.Tk()
    except tkinter.TclError:   # no screen: say it on the console instead
        sys.stderr.write("{0}: {1}\n".format(title, message))
        return
    root.title(TITLE + " - " + title)
    frame = ttk.Frame(root, padding=14)
    frame.pack()
    ttk.Label(frame, text=message, wraplength=420, foreground="#a00000").pack(pady=(0, 10))
    ttk.Button(frame, text="OK", command=root.destroy).pack()
    root.mainloop()


def run_window(config):
    root = tkinter.Tk()
    App(root, config)
    root.mainloop()
    return 0
