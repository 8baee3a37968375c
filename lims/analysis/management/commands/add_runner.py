"""`manage.py add_runner NAME --queue Q`: a token for a runner on another host; prints it on the last line."""
from django.core.management.base import BaseCommand

from lims.analysis.models import RunnerToken


class Command(BaseCommand):
    help = "Create (or move to another queue) a runner and print its token, which can only claim and report runs of Q."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--queue", required=True)

    def handle(self, *args, name, queue, **options):
        token, _ = RunnerToken.objects.update_or_create(name=name, defaults={"queue": queue})
        self.stdout.write(f"runner {token.name} serves the queue {token.queue}")
        self.stdout.write(token.key)
