from django.db import migrations, models


class Migration(migrations.Migration):
    """The measured checks as fixed-width text instead of JSON (ADR 0012, "Speed"). The snapshot is
    derived: the old rows are dropped with their column and the day forgotten, so the next request
    (or `harbour deadlines --snapshot`) rebuilds it. Back, the same: an empty JSON column, rebuilt."""

    dependencies = [
        ('snapshot', '0002_measured_checks_snapshot'),
    ]

    operations = [
        migrations.RunSQL("DELETE FROM snapshot_childchecks", reverse_sql="DELETE FROM snapshot_childchecks"),
        migrations.RunSQL("DELETE FROM snapshot_checksday", reverse_sql="DELETE FROM snapshot_checksday"),
        migrations.RemoveField(model_name='childchecks', name='checks'),
        migrations.AddField(model_name='childchecks', name='checks', field=models.TextField(blank=True, default='')),
    ]
