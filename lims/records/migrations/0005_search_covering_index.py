"""A covering index on the search rows, so searches that match many records read it instead of the wide rows."""
from django.db import migrations

COVERING_INDEX = "record_search_covering"


def _create_covering_index(apps, schema_editor):
    """PostgreSQL only: an index-only scan reads what facet counting and paging need (about a seventh of the
    table, whose rows also carry the text, tsvector and parameters); SQLite has no covering indexes."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {COVERING_INDEX} ON lims_records_recordsearch (start, record_id) "
            "INCLUDE (visibility, account_id, facets)"
        )


def _drop_covering_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {COVERING_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('lims_records', '0004_search_parameters'),
    ]

    operations = [
        migrations.RunPython(_create_covering_index, _drop_covering_index),
    ]
