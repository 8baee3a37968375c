"""Record XML is kept in storage (`xml_key`); the XML of records built before stays in the renamed column."""
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("lims_records", "0008_record_generation")]

    operations = [
        migrations.RenameField("record", "xml", "xml_text"),
        migrations.AlterField("record", "xml_text", models.TextField(blank=True)),
        migrations.AddField(
            "record", "xml_key",
            models.CharField(blank=True, max_length=300,
                             help_text="Storage key of the XML: records/<session>/<sha256>.xml."),
        ),
    ]
