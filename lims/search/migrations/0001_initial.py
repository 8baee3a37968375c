"""The search index: one document per record and the change counter (see `lims.search.models`)."""

import uuid
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SearchCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.BigIntegerField(default=0)),
                ('epoch', models.UUIDField(default=uuid.uuid4)),
            ],
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('record_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('version', models.BigIntegerField(help_text='Number of the last change; higher is newer.', unique=True)),
                ('removed', models.BooleanField(default=False, help_text='The record was deleted.')),
                ('start', models.DateTimeField(null=True)),
                ('day', models.IntegerField(default=0, help_text="Proleptic ordinal of the start day in the instrument's zone.")),
                ('timezone', models.CharField(default='UTC', max_length=64)),
                ('visibility', models.CharField(default='private', max_length=10)),
                ('account_id', models.IntegerField(null=True)),
                ('text', models.TextField(blank=True)),
                ('facets', models.JSONField(blank=True, default=list, help_text='[["instrument", "titan"], ...]')),
                ('numbers', models.JSONField(blank=True, default=dict, help_text='{key: [values in SI base units]}')),
            ],
        ),
    ]
