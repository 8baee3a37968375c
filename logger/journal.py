"""Durable local state: an append-only JSON-lines journal of the session and its uploads.

Every entry is written, flushed and fsynced before the logger acts on it, so a crash loses at
most the entry being written. On start the journal is replayed into a SessionState; a torn last
line (the crash happened mid-write) is cut off. Compaction rewrites the journal as the few
entries that rebuild the same state, through a temporary file and an atomic rename.
"""
import json
import os

JOURNAL_NAME = "journal.jsonl"


class SessionState(object):
    """What the journal says about the current session (None fields when there is none)."""

    def __init__(self):
        self.session = None      # {"id", "instrument", "user", "sample", "project", "purpose", "start", "since"}
        self.created = False     # the server acknowledged the session
        self.last_heartbeat = None
        self.notes = []          # [{"n", "text", "at", "sent", "failed"}]
        self.files = {}          # path -> {"size", "mtime", "sha256", "url", "sent", "failed"}
        self.gone = set()        # paths that vanished before they were sent
        self.end_at = None       # when the operator asked to end
        self.ended = False       # the server acknowledged the end
        self.record_url = None

    @property
    def open(self):
        return self.session is not None

    def pending_files(self):
        return sorted(path for path, item in self.files.items()
                      if not item["sent"] and not item["failed"] and path not in self.gone)

    def failed_files(self):
        return sorted(path for path, item in self.files.items() if item["failed"] and path not in self.gone)

    def failed_notes(self):
        return [note for note in self.notes if note["failed"]]

    def sent_files(self):
        return sorted(path for path, item in self.files.items() if item["sent"])

    def apply(self, entry):
        """Fold one journal entry into the state; unknown kinds are ignored (newer journals)."""
        kind = entry.get("t")
        if kind == "start":
            self.__init__()
            self.session = dict(entry["session"])
        elif self.session is None:
            return
        elif kind == "created":
            self.created = True
        elif kind == "heartbeat":
            self.last_heartbeat = entry["at"]
        elif kind == "note":
            self.notes.append({"n": entry["n"], "text": entry["text"], "at": entry["at"], "sent": False,
                               "failed": None})
        elif kind == "note_sent":
            for note in self.notes:
                if note["n"] == entry["n"]:
                    note["sent"] = True
        elif kind == "note_failed":
            for note in self.notes:
                if note["n"] == entry["n"]:
                    note["failed"] = entry["detail"]
        elif kind == "file":
            self.gone.discard(entry["path"])
            self.files[entry["path"]] = {"size": entry["size"], "mtime": entry["mtime"],
                                         "sha256": entry["sha256"], "url": None, "sent": False, "failed": None}
        elif kind == "upload":
            item = self.files.get(entry["path"])
            if item is not None and item["sha256"] == entry["sha256"]:
                item["url"] = entry["url"]
        elif kind == "sent":
            item = self.files.get(entry["path"])
            if item is not None and item["sha256"] == entry["sha256"]:
                item["sent"] = True
        elif kind == "failed":
            item = self.files.get(entry["path"])
            if item is not None and item["sha256"] == entry["sha256"]:
                item["failed"] = entry["detail"]
        elif kind == "gone":
            if entry["path"] in self.files and not self.files[entry["path"]]["sent"]:
                self.gone.add(entry["path"])
        elif kind == "end":
            self.end_at = entry["at"]
        elif kind == "ended":
            self.ended = True
            self.record_url = entry.get("record_url")
        elif kind == "closed":
            self.__init__()

    def to_entries(self):
        """The shortest list of entries that rebuilds this state."""
        if self.session is None:
            return []
        entries = [{"t": "start", "session": self.session}]
        if self.created:
            entries.append({"t": "created"})
        if self.last_heartbeat:
            entries.append({"t": "heartbeat", "at": self.last_heartbeat})
        for note in self.notes:
            entries.append({"t": "note", "n": note["n"], "text": note["text"], "at": note["at"]})
            if note["sent"]:
                entries.append({"t": "note_sent", "n": note["n"]})
            if note["failed"]:
                entries.append({"t": "note_failed", "n": note["n"], "detail": note["failed"]})
        for path in sorted(self.files):
            item = self.files[path]
            entries.append({"t": "file", "path": path, "size": item["size"], "mtime": item["mtime"],
                            "sha256": item["sha256"]})
            if item["url"]:
                entries.append({"t": "upload", "path": path, "sha256": item["sha256"], "url": item["url"]})
            if item["sent"]:
                entries.append({"t": "sent", "path": path, "sha256": item["sha256"]})
            if item["failed"]:
                entries.append({"t": "failed", "path": path, "sha256": item["sha256"], "detail": item["failed"]})
            if path in self.gone:
                entries.append({"t": "gone", "path": path})
        if self.end_at:
            entries.append({"t": "end", "at": self.end_at})
        if self.ended:
            entries.append({"t": "ended", "record_url": self.record_url})
        return entries


def _encode(entry):
    return (json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _fsync_dir(folder):
    if os.name != "nt":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Journal(object):
    """The journal file in `folder`; `state` is kept up to date with every append."""

    def __init__(self, folder):
        self.folder = folder
        self.path = os.path.join(folder, JOURNAL_NAME)
        self.state = SessionState()
        self.skipped = 0     # unreadable lines met during replay
        self.torn = False    # a torn last line was cut off
        self._handle = None
        if not os.path.isdir(folder):
            os.makedirs(folder)
        self._replay()

    def _replay(self):
        good_end = 0
        if os.path.exists(self.path):
            with open(self.path, "rb") as handle:
                data = handle.read()
            position = 0
            while position < len(data):
                newline = data.find(b"\n", position)
                if newline < 0:
                    self.torn = True
                    break
                line = data[position:newline]
                position = newline + 1
                try:
                    entry = json.loads(line.decode("utf-8"))
                except ValueError:
                    if position >= len(data):
                        self.torn = True
                        break
                    self.skipped += 1
                    good_end = position
                    continue
                self.state.apply(entry)
                good_end = position
            if self.torn:
                with open(self.path, "r+b") as handle:
                    handle.truncate(good_end)
                    handle.flush()
                    os.fsync(handle.fileno())
        self._handle = open(self.path, "ab")

    def append(self, entry):
        """Write one entry durably, then fold it into the state."""
        self._handle.write(_encode(entry))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.state.apply(entry)

    def compact(self):
        """Rewrite the journal as the entries that rebuild the current state (atomically)."""
        temporary = self.path + ".tmp"
        with open(temporary, "wb") as handle:
            for entry in self.state.to_entries():
                handle.write(_encode(entry))
            handle.flush()
            os.fsync(handle.fileno())
        self._handle.close()
        os.replace(temporary, self.path)
        _fsync_dir(self.folder)
        self._handle = open(self.path, "ab")

    def size(self):
        return os.path.getsize(self.path)

    def close(self):
        if self._handle is not None:
            self._handle.close()
            self._handle = None
