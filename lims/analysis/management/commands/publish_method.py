"""`manage.py publish_method TARGET --kind K --slug S --version V`: register a method of the facility.

TARGET is a dotted module path or a .py file (kind python), a notebook (.ipynb) or a Snakefile.
"""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lims.analysis import registry
from lims.analysis.models import Method


class Command(BaseCommand):
    help = "Register a method (a python module or file, a notebook or a Snakefile) under a slug and version."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the method's version here, not Django's
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("target", help="dotted module path, .py file, .ipynb notebook or Snakefile")
        parser.add_argument("--kind", choices=[k.value for k in Method.Kind], required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--version", required=True, dest="method_version")
        parser.add_argument("--title", default="")
        parser.add_argument("--accepts", nargs="*", default=[], help="signal types it reads (notebook, snakemake)")
        parser.add_argument("--schema", help="JSON Schema file of its parameters (notebook, snakemake)")
        parser.add_argument("--queue", default="analysis",
                            help="where its runs go: a Celery queue of ANALYSIS_CELERY_QUEUES, or a runner's queue")

    def handle(self, *args, target, kind, slug, method_version, title, accepts, schema, queue, **options):
        from django.utils.text import slugify

        if slugify(slug) != slug:
            raise CommandError(f"--slug {slug!r}: use lower-case letters, digits and hyphens")
        schema_data = None
        if schema:
            try:
                schema_data = json.loads(Path(schema).read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"--schema {schema}: {exc}") from None
        try:
            if kind == Method.Kind.PYTHON and not Path(target).is_file():
                definition = registry.python_definition(target)
                definition["version"] = method_version
                definition["queue"] = queue
                if title:
                    definition["title"] = title
                method, changed = registry.publish(definition, slug)
            else:
                if not Path(target).is_file():
                    raise CommandError(f"{target}: no such file")
                method, changed = registry.publish_file(Path(target), kind, slug, method_version, title=title,
                                                        accepts=accepts, schema=schema_data, queue=queue)
        except registry.PublishError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{method.slug} {method.version} {'published' if changed else 'unchanged'}")
