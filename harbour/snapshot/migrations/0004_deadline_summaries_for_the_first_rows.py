from django.db import migrations, models


class Migration(migrations.Migration):
    """Each row's earliest overdue and due-soon dates and their counts, so that the home page reads
    its first rows, not every row (ADR 0016, "Deadline snapshot"). The snapshot is derived: the rows
    are dropped and the day forgotten, so the next request (or `harbour deadlines --snapshot`)
    rebuilds it with the new columns. Back, the same."""

    dependencies = [
        ("snapshot", "0003_measured_checks_as_fixed_width_text"),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM snapshot_childdeadlines", reverse_sql="DELETE FROM snapshot_childdeadlines"),
        migrations.RunSQL("DELETE FROM snapshot_snapshotday", reverse_sql="DELETE FROM snapshot_snapshotday"),
        migrations.AddField(model_name="childdeadlines", name="first_overdue",
                            field=models.DateField(blank=True, db_index=True, null=True)),
        migrations.AddField(model_name="childdeadlines", name="first_due_soon",
                            field=models.DateField(blank=True, db_index=True, null=True)),
        migrations.AddField(model_name="childdeadlines", name="overdue_count",
                            field=models.PositiveIntegerField(default=0)),
        migrations.AddField(model_name="childdeadlines", name="due_soon_count",
                            field=models.PositiveIntegerField(default=0)),
    ]
