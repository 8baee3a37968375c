"""Runs the search test set on a fresh SQLite database and prints the answers as JSON.

Started as its own process by test_search_on_sqlite.py with DATABASE_URL and DATA_ROOT set.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "records"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lims.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from record_factory import make_sample_set, run_queries  # noqa: E402


class _Cast:
    """The same people and instruments as the shared test cast."""

    def __init__(self):
        from django.contrib.auth.models import Group, User

        from lims.instruments.models import Instrument

        self.group = Group.objects.create(name="microscopy")
        for name in ("alice", "bob", "charlie"):
            setattr(self, name, User.objects.create_user(name, f"{name}@example.org"))
        self.alice.groups.add(self.group)
        self.bob.groups.add(self.group)
        self.staff = User.objects.create_user("staff", "staff@example.org", is_staff=True)
        self.titan = Instrument.objects.create(pid="titan", name="FEI Titan", hostname="TITAN-PC")
        self.quanta = Instrument.objects.create(pid="quanta", name="FEI Quanta", hostname="QUANTA-PC")


def main() -> None:
    assert settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), "run me with a sqlite DATABASE_URL"
    call_command("migrate", verbosity=0)
    cast = _Cast()
    make_sample_set(cast)
    users = {"anonymous": None, "alice": cast.alice, "charlie": cast.charlie, "staff": cast.staff}
    print(json.dumps(run_queries(users)))


if __name__ == "__main__":
    main()
