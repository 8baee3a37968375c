"""`lims-client login`: check a URL and token against the server and save them as a profile."""
from __future__ import annotations

import argparse
import getpass
import sys

from lims_client import config
from lims_client.connection import Connection
from lims_client.errors import LimsError


def login(url: str, token: str, profile: str) -> str:
    """Save the profile once the server accepts the token; returns where it was written."""
    connection = Connection(url, token)
    try:
        connection.get("/api/v1/searches/", page_size=1)  # needs a person's valid token
    finally:
        connection.close()
    return str(config.save_profile(profile, url, token))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="lims-client", description="The LIMS Python client.")
    commands = parser.add_subparsers(dest="command", required=True)
    login_parser = commands.add_parser("login", help="Save a server URL and your API token as a profile.")
    login_parser.add_argument("url", help="The LIMS address, e.g. https://lims.example.org")
    login_parser.add_argument("--profile", default=config.DEFAULT_PROFILE, help="Profile name (default: default).")
    login_parser.add_argument("--token", help="Your API token (asked for when not given; see /accounts/token/).")
    args = parser.parse_args(argv)
    token = args.token or getpass.getpass("API token: ").strip()
    try:
        where = login(args.url, token, args.profile)
    except LimsError as exc:
        print(f"lims-client: login failed: {exc}", file=sys.stderr)
        return 1
    print(f"Saved profile {args.profile!r} in {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
