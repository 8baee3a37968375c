"""Finds the files of a session in the watched folder and says when each is ready to send.

A file is ready once its size and modification time have not changed for `settle` seconds (the
instrument software has finished writing it). A file already sent that changes again is a new
version; a file seen but gone before it was sent is reported as vanished.
"""
import fnmatch
import os
import time

READY = "ready"
NEW_VERSION = "new_version"
VANISHED = "vanished"


def _matches(name, patterns):
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in patterns)


class Scanner(object):
    """Watches `folder`; only files modified at or after `since` (epoch seconds) count, all when None."""

    def __init__(self, folder, include=("*",), exclude=(), settle=5.0, since=None, clock=time.time):
        self.folder = os.path.abspath(folder)
        self.include = list(include)
        self.exclude = list(exclude)
        self.settle = settle
        self.since = since
        self.clock = clock
        self._watch = {}   # relative path -> [size, mtime, time first seen with this size+mtime]
        self._done = {}    # relative path -> (size, mtime) of what was handed out

    def mark_done(self, relative, size, mtime):
        """Remember a file as handled (e.g. sent in an earlier run) so only a change re-reports it."""
        self._done[relative] = (size, mtime)

    def wanted(self, relative):
        """True when the relative path passes the include and exclude patterns (on its name and path)."""
        name = relative.rsplit("/", 1)[-1]
        if not (_matches(name, self.include) or _matches(relative, self.include)):
            return False
        parts = relative.split("/")
        return not any(_matches(part, self.exclude) for part in parts) and not _matches(relative, self.exclude)

    def _listing(self):
        found = {}
        for root, dirs, files in os.walk(self.folder):
            dirs[:] = sorted(d for d in dirs if not _matches(d, self.exclude))
            for name in files:
                full = os.path.join(root, name)
                relative = os.path.relpath(full, self.folder).replace(os.sep, "/")
                if not self.wanted(relative):
                    continue
                try:
                    info = os.stat(full)
                except OSError:
                    continue   # vanished between listing and stat
                if self.since is not None and info.st_mtime < self.since:
                    continue
                found[relative] = (info.st_size, info.st_mtime)
        return found

    def scan(self):
        """One pass over the folder: a list of (event, relative path, size, mtime), in path order."""
        now = self.clock()
        found = self._listing()
        events = []
        for relative in sorted(found):
            size, mtime = found[relative]
            if self._done.get(relative) == (size, mtime):
                continue
            watch = self._watch.get(relative)
            if watch is None or watch[0] != size or watch[1] != mtime:
                self._watch[relative] = [size, mtime, now]
                if self.settle > 0:
                    continue
                watch = self._watch[relative]
            if now - watch[2] >= self.settle:
                kind = NEW_VERSION if relative in self._done else READY
                self._done[relative] = (size, mtime)
                del self._watch[relative]
                events.append((kind, relative, size, mtime))
        for relative in sorted(set(self._watch) - set(found)):
            del self._watch[relative]
            events.append((VANISHED, relative, None, None))
        return events

    def waiting(self):
        """Number of files seen but still changing."""
        return len(self._watch)
