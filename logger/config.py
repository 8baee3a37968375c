"""Settings of the logger: an INI file next to the program, overridden by the command line."""
import argparse
import configparser
import os
import sys

SECTION = "logger"
CONFIG_NAME = "logger.ini"
DEFAULTS = {
    "server": "",
    "token": "",
    "folder": "",
    "include": "*",
    "exclude": "~*; *.tmp; *.part; .*; Thumbs.db; desktop.ini",
    "chunk_size": str(16 * 1024 * 1024),
    "single_request_max": str(4 * 1024 * 1024 * 1024),
    "heartbeat": "60",
    "settle": "5",
    "scan_interval": "2",
    "state_dir": "",
    "hostname": "",
    "timeout": "30",
    "retries": "5",
}


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and why."""


def program_dir():
    """Folder holding the program: the executable's when frozen, else the one above the package."""
    if getattr(sys, "frozen", False):
        return os.path.dirname(os.path.abspath(sys.executable))
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_config_path():
    return os.path.join(program_dir(), CONFIG_NAME)


def _globs(text):
    return [part.strip() for part in text.replace(",", ";").split(";") if part.strip()]


def _number(values, key, kind, minimum):
    try:
        number = kind(values[key])
    except ValueError:
        raise ConfigError("{0} must be a number, not {1!r}".format(key, values[key]))
    if number < minimum:
        raise ConfigError("{0} must be at least {1}, not {2}".format(key, minimum, number))
    return number


class Config(object):
    """The effective settings; `path` is the INI file they came from (None when absent)."""

    def __init__(self, values, path=None):
        self.path = path
        self.server = values["server"].strip().rstrip("/")
        self.token = values["token"].strip()
        self.folder = values["folder"].strip()
        self.include = _globs(values["include"]) or ["*"]
        self.exclude = _globs(values["exclude"])
        self.chunk_size = _number(values, "chunk_size", int, 1024)
        self.single_request_max = _number(values, "single_request_max", int, 0)
        self.heartbeat = _number(values, "heartbeat", float, 1)
        self.settle = _number(values, "settle", float, 0)
        self.scan_interval = _number(values, "scan_interval", float, 0.05)
        self.timeout = _number(values, "timeout", float, 1)
        self.retries = _number(values, "retries", int, 0)
        self.hostname = values["hostname"].strip()
        state_dir = values["state_dir"].strip() or os.path.join(program_dir(), "logger-state")
        self.state_dir = os.path.abspath(os.path.expanduser(state_dir))

    def missing(self):
        """Names of required settings that are empty."""
        return [name for name in ("server", "token", "folder") if not getattr(self, name)]

    def check(self):
        """Raise ConfigError naming every required setting that is missing or wrong."""
        missing = self.missing()
        if missing:
            where = self.path or default_config_path()
            raise ConfigError("missing setting(s) {0}: set them in {1} or on the command line".format(
                ", ".join(missing), where))
        if not self.server.startswith(("http://", "https://")):
            raise ConfigError("server must start with http:// or https://, not {0!r}".format(self.server))
        if not os.path.isdir(self.folder):
            raise ConfigError("the watched folder {0} does not exist".format(self.folder))


def read_ini(path):
    """Values from the [logger] section of an INI file (defaults for absent keys)."""
    values = dict(DEFAULTS)
    if path is None or not os.path.exists(path):
        return values
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            parser.read_file(handle)
    except configparser.Error as exc:
        raise ConfigError("cannot read {0}: {1}".format(path, exc))
    if parser.has_section(SECTION):
        for key in DEFAULTS:
            if parser.has_option(SECTION, key):
                values[key] = parser.get(SECTION, key)
    return values


def parser():
    """The command line of `python -m logger`."""
    p = argparse.ArgumentParser(prog="python -m logger", description="Record an instrument session and send its files.")
    p.add_argument("--config", help="INI file (default: {0} next to the program)".format(CONFIG_NAME))
    p.add_argument("--server", help="LIMS address, e.g. https://lims.example.org")
    p.add_argument("--token", help="the instrument's API token")
    p.add_argument("--folder", help="folder the instrument software writes to")
    p.add_argument("--chunk-size", type=int, help="upload chunk size in bytes")
    p.add_argument("--single-request-max", type=int,
                   help="largest new file sent in one request, in bytes (0: always in chunks)")
    p.add_argument("--state-dir", help="folder for the journal and the log")
    p.add_argument("--no-gui", action="store_true", help="run without a window")
    p.add_argument("--once", action="store_true", help="send every matching file, end the session and exit")
    p.add_argument("--user", help="experimenter's name (required with --no-gui)")
    p.add_argument("--sample", default="")
    p.add_argument("--project", default="")
    p.add_argument("--purpose", default="")
    p.add_argument("--stop-file", help="with --no-gui: end the session when this file appears")
    p.add_argument("--end-interrupted", action="store_true",
                   help="with --no-gui: end an interrupted session instead of continuing it")
    return p


def load(args):
    """Config from the INI file named by args.config (or the default one) and the overrides in args."""
    path = args.config or default_config_path()
    if args.config and not os.path.exists(args.config):
        raise ConfigError("config file {0} does not exist".format(args.config))
    values = read_ini(path)
    for key, attr in (("server", "server"), ("token", "token"), ("folder", "folder"),
                      ("chunk_size", "chunk_size"), ("single_request_max", "single_request_max"),
                      ("state_dir", "state_dir")):
        value = getattr(args, attr, None)
        if value is not None:
            values[key] = str(value)
    return Config(values, path if os.path.exists(path) else None)
