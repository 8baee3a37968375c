"""Entry point: `python -m logger` opens the window; `--no-gui` records a session from the command line."""
import logging
import logging.handlers
import os
import signal
import sys
import time

from . import __version__
from .api import ApiError, Offline
from .config import ConfigError, load, parser
from .lock import AlreadyRunning, InstanceLock

LOG_NAME = "logger.log"
LOG_BYTES = 5 * 1024 * 1024
OFFLINE_PAUSE = 1.0     # seconds between attempts while the server is unreachable
ONCE_GIVE_UP = 300.0    # --once: seconds offline before giving up (queued files stay in the journal)

log = logging.getLogger("logger")


def setup_logging(state_dir, echo=False):
    """Log to state_dir/logger.log (rotated); also to stderr when echo."""
    if not os.path.isdir(state_dir):
        os.makedirs(state_dir)
    handler = logging.handlers.RotatingFileHandler(os.path.join(state_dir, LOG_NAME), maxBytes=LOG_BYTES,
                                                   backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    if echo:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        stream.setLevel(logging.WARNING)
        root.addHandler(stream)


def _say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _fail(text, code=1):
    sys.stderr.write("error: " + text + "\n")
    sys.stderr.flush()
    return code


def _summary(controller):
    status = controller.status()
    _say("session {0}".format(status["session_id"]))
    _say("record {0}".format(status["record_url"] or "(not known yet)"))
    return status


def run_headless(args, config):
    """--no-gui: record one session; with --once send what is there and end. Returns the exit status."""
    from .session import Controller

    stopping = []
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    stop_file = args.stop_file or os.path.join(config.state_dir, "stop")
    if os.path.exists(stop_file):
        os.remove(stop_file)
    if args.once:
        config.settle = 0.0
    controller = Controller(config)
    try:
        if controller.interrupted():
            session = controller.interrupted()
            if args.end_interrupted:
                _say("ending interrupted session {0}".format(session["id"]))
                controller.end_interrupted()
            else:
                _say("continuing interrupted session {0} of {1}".format(session["id"], session["user"]))
                controller.resume()
        else:
            if not args.user:
                return _fail("--user NAME is required with --no-gui", 2)
            try:
                controller.identify()
            except Offline as exc:
                log.warning("instrument lookup failed: %s", exc)
            except Exception as exc:   # unknown PC: the token's own instrument is used
                log.warning("instrument lookup: %s", exc)
            try:
                controller.start(args.user, args.sample, args.project, args.purpose, all_files=args.once)
            except ApiError as exc:
                return _fail("the server refused to start the session: {0}".format(exc.detail))
            _say("session {0} started".format(controller.state.session["id"]))
        offline_since = None
        while not controller.finished():
            if stopping or os.path.exists(stop_file):
                controller.request_end()
                stopping = []
            controller.tick(lambda: bool(stopping))
            if controller.fatal:
                return _fail(controller.fatal)
            if args.once and controller.state.created:
                controller.request_end()
            if controller.online is False:
                offline_since = offline_since or time.time()
                if args.once and time.time() - offline_since > ONCE_GIVE_UP:
                    status = controller.status()
                    return _fail("the server stayed unreachable; {0} file(s) are queued and will be sent on the "
                                 "next run".format(status["pending"]))
            else:
                offline_since = None
            if controller.finished():
                break
            if controller.online is False:
                time.sleep(OFFLINE_PAUSE)
            elif not args.once:
                time.sleep(config.scan_interval)
        status = _summary(controller)
        _say("{0} file(s) sent, {1} refused".format(status["sent"], status["failed"]))
        ok = controller.all_acknowledged()
        if not ok:
            for path in controller.state.failed_files():
                sys.stderr.write("refused: {0}: {1}\n".format(path, controller.state.files[path]["failed"]))
            for note in controller.state.failed_notes():
                sys.stderr.write("refused note: {0!r}: {1}\n".format(note["text"], note["failed"]))
            for path in controller.state.pending_files():
                sys.stderr.write("not sent: {0}\n".format(path))
        controller.close_session()
        return 0 if ok else _fail("not every file and note was stored by the server")
    finally:
        controller.shutdown()


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        config = load(args)
        config.check()
    except ConfigError as exc:
        if args.no_gui:
            return _fail(str(exc), 2)
        from .gui import show_fatal
        show_fatal("Logger settings", str(exc))
        return 2
    setup_logging(config.state_dir, echo=args.no_gui)
    log.info("logger %s starting (pid %d)", __version__, os.getpid())
    try:
        lock = InstanceLock(config.state_dir).acquire()
    except AlreadyRunning as exc:
        if args.no_gui:
            return _fail(str(exc), 3)
        from .gui import show_fatal
        show_fatal("Logger", str(exc))
        return 3
    try:
        if args.no_gui:
            return run_headless(args, config)
        from .gui import run_window
        return run_window(config)
    finally:
        lock.release()


if __name__ == "__main__":
    sys.exit(main())
