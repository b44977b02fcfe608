"""The council's starting lists: reasons a review was late and the areas of the case-file audit."""

from django.db import migrations

from harbour.reviews.defaults import seed_default_lists


def seed(apps, schema_editor):
    seed_default_lists(apps.get_model("reviews", "LateReviewReason"), apps.get_model("reviews", "AuditArea"))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_review_record_and_quality_assurance")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
