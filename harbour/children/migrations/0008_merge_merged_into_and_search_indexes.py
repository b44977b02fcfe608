from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0006_child_merged_into"),
        ("children", "0007_upper_case_reference_indexes"),
    ]

    operations = []
