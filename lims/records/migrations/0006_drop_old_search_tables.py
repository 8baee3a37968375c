"""Search moved to its own app (`lims.search`): the old search tables go; `manage.py reindex` fills the new index."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('lims_records', '0005_search_covering_index'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='recordparameter',
            name='record',
        ),
        migrations.RemoveField(
            model_name='recordsearch',
            name='account',
        ),
        migrations.RemoveField(
            model_name='recordsearch',
            name='record',
        ),
        migrations.DeleteModel(
            name='RecordFacet',
        ),
        migrations.DeleteModel(
            name='RecordParameter',
        ),
        migrations.DeleteModel(
            name='RecordSearch',
        ),
    ]
