"""Where the client finds its server and token: LIMS_URL and LIMS_TOKEN, or a profile saved by `lims-client login`."""
from __future__ import annotations

import json
import os
from pathlib import Path

DEFAULT_PROFILE = "default"


def profiles_path() -> Path:
    """$LIMS_CLIENT_CONFIG, else $XDG_CONFIG_HOME/lims-client/profiles.json (~/.config by default)."""
    if os.environ.get("LIMS_CLIENT_CONFIG"):
        return Path(os.environ["LIMS_CLIENT_CONFIG"])
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "lims-client" / "profiles.json"


def read_profiles() -> dict:
    path = profiles_path()
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def save_profile(name: str, url: str, token: str) -> Path:
    """Write (or replace) one profile; the file is readable by its owner only."""
    profiles = read_profiles()
    profiles[name] = {"url": url.rstrip("/"), "token": token}
    path = profiles_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(profiles, handle, indent=2)
    os.chmod(path, 0o600)
    return path


def find(profile: str | None = None) -> tuple[str, str | None]:
    """(url, token): the environment first, then the named profile ($LIMS_PROFILE or "default")."""
    url, token = os.environ.get("LIMS_URL"), os.environ.get("LIMS_TOKEN")
    if url and not profile:
        return url, token
    name = profile or os.environ.get("LIMS_PROFILE") or DEFAULT_PROFILE
    saved = read_profiles().get(name)
    if not saved:
        raise LookupError(f"No LIMS_URL set and no profile {name!r} in {profiles_path()}; run `lims-client login`.")
    return saved["url"], saved.get("token")
