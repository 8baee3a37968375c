"""One logger per PC: an OS lock on an open file, released by the OS when the process dies."""
import os

LOCK_NAME = "logger.lock"

try:
    import fcntl
except ImportError:   # Windows
    fcntl = None
    import msvcrt


class AlreadyRunning(Exception):
    """Another logger holds the lock; the message names its process id when known."""


class InstanceLock(object):
    """Held while the logger runs; a crash cannot leave it stuck because the OS drops the lock."""

    def __init__(self, folder):
        if not os.path.isdir(folder):
            os.makedirs(folder)
        self.path = os.path.join(folder, LOCK_NAME)
        self._handle = None

    def _holder(self):
        try:
            with open(self.path, "r") as handle:
                return handle.read().strip() or "unknown"
        except (IOError, OSError):
            return "unknown"

    def acquire(self):
        handle = open(self.path, "a+")
        try:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except (IOError, OSError):
            handle.close()
            raise AlreadyRunning("another logger is already running on this PC (process {0}); "
                                 "close it first".format(self._holder()))
        if fcntl is not None:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        self._handle = handle
        return self

    def release(self):
        if self._handle is not None:
            if fcntl is None:
                self._handle.seek(0)
                msvcrt.locking(self._handle.fileno(), msvcrt.LK_UNLCK, 1)
            self._handle.close()
            self._handle = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
