from django.db import migrations, models


def derived_generations(apps, schema_editor):
    """Records derived before generations were kept: one more than their input's, oldest run first."""
    Record = apps.get_model("lims_records", "Record")
    Run = apps.get_model("analysis", "Run")
    for run in Run.objects.filter(output_session__isnull=False).order_by("created").iterator():
        source = Record.objects.filter(pk=run.record_id).values_list("generation", flat=True).first() or 0
        Record.objects.filter(session_id=run.output_session_id).update(generation=source + 1)


class Migration(migrations.Migration):

    dependencies = [
        ('lims_records', '0007_record_kind'),
        ('analysis', '0001_methods_runs_and_runners'),
    ]

    operations = [
        migrations.AddField(
            model_name='record',
            name='generation',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(derived_generations, migrations.RunPython.noop),
    ]
