"""Overdue milestones (pending, past their date) found by an index instead of reading every milestone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_every_list_sort_covers_the_filters"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(fields=["status", "due_date"], name="milestone_overdue"),
        ),
    ]
