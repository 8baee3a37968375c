"""`manage.py doctor`: preflight checks after an install or upgrade, each with its fix; non-zero exit on an error."""
from django.core.management.base import BaseCommand, CommandError

from lims.operations import doctor


class Command(BaseCommand):
    help = "Check the database, broker, workers, scheduler, data root, e-mail and security settings."

    def handle(self, *args, **options):
        findings = doctor.run()
        self.stdout.write(doctor.report(findings))
        errors = [finding.name for finding in findings if finding.status == doctor.ERROR]
        if errors:
            raise CommandError(f"{len(errors)} checks failed: {', '.join(errors)}")
