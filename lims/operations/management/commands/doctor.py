"""`manage.py doctor`: preflight checks after an install or upgrade, each with its fix; non-zero exit on an error."""
from django.core.management.base import BaseCommand, CommandError

from lims.operations import doctor

MARKS = {doctor.OK: "ok", doctor.WARNING: "WARNING", doctor.ERROR: "ERROR"}


def report(findings: list[doctor.Finding]) -> str:
    """The findings as text, one line each, with the fix under anything that is not ok."""
    lines = []
    for finding in findings:
        lines.append(f"[{MARKS[finding.status]}] {finding.name}: {finding.detail}")
        if finding.fix and finding.status != doctor.OK:
            lines.append(f"    fix: {finding.fix}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Check the database, broker, workers, scheduler, data root, e-mail and security settings."

    def handle(self, *args, **options):
        findings = doctor.run()
        self.stdout.write(report(findings))
        errors = [finding.name for finding in findings if finding.status == doctor.ERROR]
        if errors:
            raise CommandError(f"{len(errors)} checks failed: {', '.join(errors)}")
