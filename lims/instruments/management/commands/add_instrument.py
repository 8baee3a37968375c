"""add_instrument: register an instrument (or update it) and print its API token on the last line."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lims.instruments.services import register_instrument


class Command(BaseCommand):
    help = "Register an instrument, or update it, and print its API token on the last line."

    def add_arguments(self, parser):
        parser.add_argument("pid", help="Short unique identifier, e.g. titan (letters, digits, . _ -).")
        parser.add_argument("--name", help="Display name, e.g. 'FEI Titan 80-300' (required for a new instrument).")
        parser.add_argument("--hostname", help="Hostname of the instrument PC, as its logger reports it.")
        parser.add_argument("--share", help="Path of the folder the instrument software writes to.")
        parser.add_argument("--timezone", help="IANA time zone of the instrument PC clock, e.g. Europe/Berlin.")
        parser.add_argument("--location", help="Room or building.")
        parser.add_argument(
            "--rotate-token", action="store_true", help="Issue a new API token (the old one stops working)."
        )

    def handle(self, *args, **options):
        fields = {
            "name": options["name"],
            "hostname": options["hostname"],
            "share_path": options["share"],
            "timezone": options["timezone"],
            "location": options["location"],
        }
        from lims.instruments.models import Instrument

        if not Instrument.objects.filter(pid=options["pid"]).exists():
            if not options["name"] or options["hostname"] is None:
                raise CommandError("A new instrument needs --name and --hostname.")
        try:
            instrument, created = register_instrument(options["pid"], rotate_token=options["rotate_token"], **fields)
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
            raise CommandError(f"Instrument {options['pid']!r} not saved: {problems}") from None
        self.stdout.write(f"{'Registered' if created else 'Updated'} {instrument}.")
        if options["rotate_token"] and not created:
            self.stdout.write("The previous token no longer works.")
        self.stdout.write(instrument.api_token)
