"""The session controller: start, tick (scan, upload, heartbeat), note, end - whoever drives it.

The window and the command line both drive a Controller. Every decision is journaled before it
is acted on, so a crash or a network cut loses nothing: the controller keeps working offline,
queues what it cannot send, and reports its status.
"""
import datetime
import logging
import os
import socket
import threading
import time
import uuid

from .api import Api, ApiError, Offline
from .journal import Journal
from .scanner import NEW_VERSION, READY, VANISHED, Scanner
from .uploader import FileChanged, Uploader, file_sha256

IDLE, STARTING, ACTIVE, ENDING, ENDED, FAILED = "idle", "starting", "active", "ending", "ended", "failed"
SINCE_SLACK = 2.0           # files modified this long before Start still belong to the session
COMPACT_ABOVE = 1024 * 1024  # journal size that triggers compaction at start-up
SERVER_POLL = 10.0          # seconds between refreshes of the server's file counts

log = logging.getLogger(__name__)


class UnknownInstrument(Exception):
    """No instrument is registered for this PC's hostname."""


def iso(epoch):
    """ISO 8601 UTC timestamp of epoch seconds."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).isoformat()


def epoch(text):
    """Epoch seconds of an ISO 8601 timestamp written by iso()."""
    text = text.replace("Z", "+00:00")
    if text[-3:-2] == ":" and text[-6] in "+-":
        text = text[:-3] + text[-2:]
    pattern = "%Y-%m-%dT%H:%M:%S.%f%z" if "." in text else "%Y-%m-%dT%H:%M:%S%z"
    return datetime.datetime.strptime(text, pattern).timestamp()


class Controller(object):
    """One session at a time on this instrument, with its journal in config.state_dir."""

    def __init__(self, config, clock=time.time, api=None, uploader=None):
        self.config = config
        self.clock = clock
        self.journal = Journal(config.state_dir)
        if self.journal.size() > COMPACT_ABOVE:
            self.journal.compact()
        self.api = api or Api(config.server, config.token, config.timeout)
        self.uploader = uploader or Uploader(config.server, config.token, config.chunk_size,
                                             config.timeout, config.retries,
                                             single_request_max=config.single_request_max)
        self.instrument = None
        self.scanner = None
        self.online = None
        self.message = ""
        self.server_files = {}
        self.server_ended = False
        self.fatal = None
        self.current = None     # [relative path, offset, length] of the file being sent
        self.resumed = {}       # relative path -> offset an upload resumed from in this run
        self._lock = threading.RLock()
        self._net = threading.Lock()
        self._last_heartbeat = 0.0
        self._last_poll = 0.0
        self._final_scan = False

    # -- what the operator sees ------------------------------------------------------------

    @property
    def state(self):
        return self.journal.state

    def phase(self):
        s = self.state
        if self.fatal:
            return FAILED
        if not s.open:
            return IDLE
        if s.ended:
            return ENDED
        if s.end_at:
            return ENDING
        return ACTIVE if s.created else STARTING

    def status(self):
        """A snapshot for display: counts, bytes, current file, connection and the last problem."""
        with self._lock:
            s = self.state
            sent = s.sent_files()
            bytes_sent = sum(s.files[p]["size"] for p in sent)
            current = list(self.current) if self.current else None
            if current:
                bytes_sent += current[1]
            session = s.session or {}
            return {
                "phase": self.phase(),
                "session_id": session.get("id"),
                "user": session.get("user"),
                "started": epoch(session["start"]) if session.get("start") else None,
                "elapsed": (self.clock() - epoch(session["start"])) if session.get("start") else 0,
                "found": len(s.files) - len(s.gone),
                "sent": len(sent),
                "pending": len(s.pending_files()),
                "failed": len(s.failed_files()),
                "failed_notes": len(s.failed_notes()),
                "extracted": self.server_files.get("extracted"),
                "uploaded": self.server_files.get("uploaded"),
                "bytes_sent": bytes_sent,
                "bytes_total": sum(s.files[p]["size"] for p in s.files if p not in s.gone),
                "current": current,
                "online": self.online,
                "message": self.fatal or self.message,
                "record_url": s.record_url,
                "instrument": self.instrument,
                "server_ended": self.server_ended,
            }

    # -- session life ------------------------------------------------------------------------

    def hostname(self):
        return self.config.hostname or socket.gethostname()

    def identify(self):
        """The instrument registered for this PC. Raises UnknownInstrument, Offline or ApiError."""
        host = self.hostname()
        with self._net:
            found = self.api.instruments(host)
        if not found:
            raise UnknownInstrument("this PC ({0}) is not registered as an instrument on {1}; ask the facility "
                                    "staff to set its hostname".format(host, self.config.server))
        self.instrument = found[0]
        return self.instrument

    def interrupted(self):
        """The journaled session a crash left unfinished, or None."""
        return self.state.session if self.state.open and not self.state.ended else None

    def start(self, user, sample="", project="", purpose="", all_files=False):
        """Begin a session now. Raises ApiError when the server refuses; when offline it is queued."""
        user = (user or "").strip()
        if not user:
            raise ValueError("please enter your name")
        if self.state.open:
            raise RuntimeError("a session is already open")
        now = self.clock()
        session = {"id": str(uuid.uuid4()), "user": user, "sample": sample.strip(), "project": project.strip(),
                   "purpose": purpose.strip(), "start": iso(now),
                   "since": None if all_files else now - SINCE_SLACK,
                   "instrument": (self.instrument or {}).get("pid")}
        with self._lock:
            self.journal.append({"t": "start", "session": session})
        self.fatal = None
        self._open_scanner()
        try:
            self._create()
        except ApiError:
            with self._lock:
                self.journal.append({"t": "closed"})
                self.journal.compact()
            self.scanner = None
            raise
        log.info("session %s started by %s", session["id"], user)
        return session["id"]

    def resume(self):
        """Continue the interrupted session: files already sent are not sent again."""
        self._open_scanner()
        log.info("continuing interrupted session %s", self.state.session["id"])

    def end_interrupted(self):
        """End the interrupted session at its last heartbeat; its queued files are still sent."""
        s = self.state
        at = s.last_heartbeat or s.session["start"]
        self._open_scanner()
        with self._lock:
            if not s.end_at:
                self.journal.append({"t": "end", "at": at})
        self._final_scan = True
        log.info("ending interrupted session %s at %s", s.session["id"], at)

    def note(self, text):
        text = (text or "").strip()
        if not text:
            raise ValueError("the note is empty")
        with self._lock:
            number = len(self.state.notes) + 1
            self.journal.append({"t": "note", "n": number, "text": text, "at": iso(self.clock())})

    def request_end(self):
        """Ask to end now: remaining files are sent, then the server is told the end time."""
        with self._lock:
            if self.state.open and not self.state.end_at:
                self.journal.append({"t": "end", "at": iso(self.clock())})

    def finished(self):
        return self.phase() in (ENDED, IDLE)

    def all_acknowledged(self):
        """Whether the server stored every file and note of the ended session."""
        s = self.state
        return s.ended and not s.pending_files() and not s.failed_files() and not s.failed_notes()

    def close_session(self):
        """Forget the ended session locally (the journal becomes empty)."""
        with self._lock:
            if self.state.ended:
                self.journal.append({"t": "closed"})
                self.journal.compact()
                self.scanner = None

    def shutdown(self):
        self.uploader.close()
        self.api.close()
        self.journal.close()

    # -- the work --------------------------------------------------------------------------

    def _open_scanner(self):
        s = self.state
        self.scanner = Scanner(self.config.folder, self.config.include, self.config.exclude,
                               self.config.settle, s.session.get("since"), self.clock)
        for path, item in s.files.items():
            self.scanner.mark_done(path, item["size"], item["mtime"])

    def _create(self):
        s = self.state
        fields = dict((key, s.session[key]) for key in ("id", "user", "sample", "project", "purpose", "start"))
        if s.session.get("instrument"):
            fields["instrument"] = s.session["instrument"]
        with self._net:
            try:
                self.api.start_session(fields)
            except Offline as exc:
                self._offline(exc)
                return False
        self.online = True
        with self._lock:
            self.journal.append({"t": "created"})
        return True

    def _offline(self, exc):
        if self.online is not False:
            log.warning("offline: %s", exc)
        self.online = False
        self.message = "Server unreachable, files are queued: {0}".format(exc)

    def tick(self, should_stop=None):
        """One round: create the session if needed, scan, send, note, heartbeat, end. Never raises Offline."""
        s = self.state
        if not s.open or s.ended or self.fatal:
            return
        try:
            if not s.created:
                try:
                    created = self._create()
                except ApiError as exc:
                    self.fatal = "The server refused to start the session: {0}".format(exc.detail)
                    log.error(self.fatal)
                    return
                if not created:
                    self._scan()   # work goes on offline: files are found and queued
                    return
            self._scan()
            self._heartbeat_if_due()
            self._send_notes()
            self._send_files(should_stop)
            self._send_notes()
            if s.end_at and not s.pending_files() and self._final_scan and self.scanner.waiting() == 0:
                self._end()
            elif s.end_at:
                self._final_scan = True
            self.online = True
            self.message = ""
        except Offline as exc:
            self._offline(exc)

    def _scan(self):
        if self.scanner is None:
            self._open_scanner()
        for kind, relative, size, mtime in self.scanner.scan():
            if kind in (READY, NEW_VERSION):
                path = os.path.join(self.config.folder, *relative.split("/"))
                try:
                    digest = file_sha256(path)
                except (IOError, OSError):
                    continue
                if kind == NEW_VERSION:
                    log.info("new version of %s", relative)
                with self._lock:
                    self.journal.append({"t": "file", "path": relative, "size": size, "mtime": mtime,
                                         "sha256": digest})
            elif kind == VANISHED and relative in self.state.pending_files():
                self._gone(relative)

    def _gone(self, relative):
        log.warning("%s vanished before it was sent", relative)
        with self._lock:
            self.journal.append({"t": "gone", "path": relative})

    def _send_files(self, should_stop):
        s = self.state
        for relative in s.pending_files():
            if should_stop is not None and should_stop():
                return
            item = s.files[relative]
            path = os.path.join(self.config.folder, *relative.split("/"))
            if not os.path.exists(path):
                self._gone(relative)
                continue
            if os.path.getsize(path) != item["size"]:
                self.scanner.mark_done(relative, -1, -1)   # let the scanner report the new version
                continue
            digest = item["sha256"]

            def remember(url, relative=relative, digest=digest):
                if s.files[relative]["url"] != url:
                    with self._lock:
                        self.journal.append({"t": "upload", "path": relative, "sha256": digest, "url": url})

            def progress(offset, length, relative=relative):
                self.current = [relative, offset, length]
                self._heartbeat_if_due()

            self.current = [relative, 0, item["size"]]
            try:
                result = self.uploader.upload(path, relative, s.session["id"], digest, item["mtime"], item["url"],
                                              remember, progress, should_stop)
            except FileChanged as exc:
                log.warning("%s", exc)
                self.current = None
                if not os.path.exists(path):
                    self._gone(relative)
                else:
                    self.scanner.mark_done(relative, -1, -1)
                continue
            except ApiError as exc:
                self.current = None
                log.error("the server refused %s: %s", relative, exc)
                with self._lock:
                    self.journal.append({"t": "failed", "path": relative, "sha256": digest, "detail": exc.detail})
                continue
            finally:
                self.current = None
            self.resumed[relative] = result.resumed_from
            with self._lock:
                self.journal.append({"t": "sent", "path": relative, "sha256": digest})
            log.info("sent %s (%d bytes, resumed from %d)", relative, result.length, result.resumed_from)

    def _send_notes(self):
        for note in self.state.notes:
            if note["sent"] or note["failed"]:
                continue
            with self._net:
                try:
                    self.api.note(self.state.session["id"], note["text"])
                except ApiError as exc:
                    # Kept in the journal as refused, never as sent: the window and --once report it.
                    log.error("the server refused a note: %s", exc)
                    with self._lock:
                        self.journal.append({"t": "note_failed", "n": note["n"], "detail": exc.detail})
                    continue
            with self._lock:
                self.journal.append({"t": "note_sent", "n": note["n"]})

    def _heartbeat_if_due(self):
        now = self.clock()
        s = self.state
        if self.server_ended:
            if now - self._last_poll >= SERVER_POLL:
                self._poll()
            return
        if now - self._last_heartbeat < self.config.heartbeat:
            return
        at = iso(now)
        with self._net:
            try:
                answer = self.api.heartbeat(s.session["id"], at)
            except ApiError as exc:
                if exc.status == 409:
                    self.server_ended = True
                    self.message = "The server has already ended this session; files are still sent."
                    log.warning("heartbeat refused: %s", exc)
                    return
                raise
        self._last_heartbeat = now
        self._last_poll = now
        self.server_files = answer.get("files") or {}
        with self._lock:
            self.journal.append({"t": "heartbeat", "at": at})

    def _poll(self):
        with self._net:
            try:
                answer = self.api.get_session(self.state.session["id"])
            except ApiError:
                return
        self._last_poll = self.clock()
        self.server_files = answer.get("files") or {}

    def _end(self):
        s = self.state
        with self._net:
            try:
                answer = self.api.end_session(s.session["id"], s.end_at)
            except ApiError as exc:
                if exc.code != "session_not_active" and exc.status != 409:
                    self.fatal = "The server refused to end the session: {0}".format(exc.detail)
                    return
                answer = self.api.get_session(s.session["id"])
        self.server_files = answer.get("files") or {}
        with self._lock:
            self.journal.append({"t": "ended", "record_url": answer.get("record_url")})
        log.info("session %s ended; record %s", s.session["id"], answer.get("record_url"))


class Runner(threading.Thread):
    """Ticks a controller in the background until stopped (used by the window and --no-gui)."""

    def __init__(self, controller, interval):
        threading.Thread.__init__(self, name="logger-runner")
        self.daemon = True
        self.controller = controller
        self.interval = interval
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                self.controller.tick(self.stopping.is_set)
            except Exception:   # keep the logger alive; the log file has the details
                log.exception("unexpected error")
                self.controller.message = "Unexpected error; see the log file"
            self.stopping.wait(self.interval)

    def stop(self):
        self.stopping.set()
