"""Every sort of the project list reads its pages from its index alone (PostgreSQL INCLUDE of the columns the
visibility filter and the other filters read): by year, title, progress and last update as by default."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_list_indexes_cover_the_filters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="project",
            name="project_list_year",
        ),
        migrations.RemoveIndex(
            model_name="project",
            name="project_list_title",
        ),
        migrations.RemoveIndex(
            model_name="project",
            name="project_list_progress",
        ),
        migrations.RemoveIndex(
            model_name="project",
            name="project_list_updated",
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["year", "code", "id"],
                include=("organization_path", "status", "type", "lead_leader", "responsible"),
                name="project_list_year",
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["title", "id"],
                include=("organization_path", "status", "type", "lead_leader", "responsible"),
                name="project_list_title",
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["-progress", "code", "id"],
                include=("organization_path", "status", "type", "lead_leader", "responsible"),
                name="project_list_progress",
            ),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["-updated_at", "-id"],
                include=("organization_path", "status", "type", "lead_leader", "responsible"),
                name="project_list_updated",
            ),
        ),
    ]
