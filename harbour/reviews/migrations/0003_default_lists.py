"""The lists a council starts with, which it then keeps in the admin: reasons a review was late
(the issue's list) and the areas of the IRO's case-file audit."""

from django.db import migrations

LATE_REASONS = (
    ("Staff sickness", False),
    ("Carer or officer not available", False),
    ("The child's request", False),
    ("Other (say why)", True),
)
AUDIT_AREAS = (
    "The child's voice and views",
    "Care plan and permanence",
    "Statutory visits",
    "Health",
    "Education and the PEP",
    "Identity, culture and language",
    "Management oversight",
)


def seed(apps, schema_editor):
    LateReviewReason = apps.get_model("reviews", "LateReviewReason")
    AuditArea = apps.get_model("reviews", "AuditArea")
    for position, (label, needs_detail) in enumerate(LATE_REASONS):
        LateReviewReason.objects.get_or_create(label=label, defaults={"needs_detail": needs_detail,
                                                                     "position": position})
    for position, name in enumerate(AUDIT_AREAS):
        AuditArea.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_review_record_and_quality_assurance")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
