"""The project list reads its pages and capped counts from its indexes alone: the default order, the status
filter and the subtree carry the columns the visibility filter and the other filters read (PostgreSQL)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_list_indexes_and_organization_path"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="project",
            name="project_list_default",
        ),
        migrations.RemoveIndex(
            model_name="project",
            name="project_list_organization",
        ),
        migrations.RemoveIndex(
            model_name="project",
            name="project_list_status",
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["-year", "code", "id"],
                include=("organization_path", "status", "type", "lead_leader", "responsible"),
                name="project_list_default",
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["organization_path", "code", "id"],
                include=("year", "status", "type", "lead_leader", "responsible"),
                name="project_list_subtree",
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["status", "-year", "code", "id"],
                include=("organization_path", "type", "lead_leader", "responsible"),
                name="project_list_status_covering",
            ),
        ),
    ]
