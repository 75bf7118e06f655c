"""The 督办 list reads overdue milestones and reports in its own order (due date, project, id), each from an
index of the rows still open, and stops at its page (issue 15). The pending milestones' index replaces
`milestone_overdue` (status, due_date), whose queries it serves as well."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_overdue_milestones_index"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="milestone", name="milestone_overdue"),
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["due_date", "project", "id"],
                name="milestone_overdue_list",
            ),
        ),
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(
                condition=models.Q(("status__in", ("due", "returned"))),
                fields=["due_date", "project", "id"],
                name="report_overdue_list",
            ),
        ),
    ]
