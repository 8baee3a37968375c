"""`manage.py demo`: create a demo instrument, an admin account and one built record to look at."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from lims.instruments.models import Instrument
from lims.records import demo
from lims.records.models import Record
from lims.sessions.models import Session, Visibility


class Command(BaseCommand):
    help = "Create demo data: instrument 'demo-tem', user admin/admin and a record built from sample files."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="admin", help="Password of the admin account if it is created.")

    def handle(self, password, **options):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.org", password)
            self.stdout.write(f"Created the administrator account: admin / {password}")
        instrument, _ = Instrument.objects.get_or_create(
            pid="demo-tem", defaults={"name": "Demo TEM", "location": "Demo lab", "hostname": "demo-pc"}
        )
        if Record.objects.filter(session__instrument=instrument).exists():
            self.stdout.write("Demo record already present.")
        else:
            folder = settings.VAR_DIR / "demo" / "session1"
            source = demo.prepare_folder(folder)
            self.stdout.write(f"Building a demo record from {source} ...")
            call_command("ingest", str(folder), instrument=instrument.pid, user="admin",
                         sample="Demo sample", project="Demo", purpose="A first look", stdout=self.stdout)
            for session in Session.objects.filter(instrument=instrument):
                session.visibility = Visibility.FACILITY
                session.save(update_fields=["visibility"])  # save(), so search sees the change
        record = Record.objects.filter(session__instrument=instrument).first()
        if record:
            self.stdout.write(f"Demo record: {settings.SITE_URL}{record.get_absolute_url()}")
        self.stdout.write(f"Instrument token of {instrument.pid}: {instrument.api_token}")
