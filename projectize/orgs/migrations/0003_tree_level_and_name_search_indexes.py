"""The organization tree at 100,000 organizations (issue 15): one level in order by its own index, and on
PostgreSQL names found by any part of them (the search of the tree page and of the organization inputs, a
case-insensitive `LIKE '%part%'`) through a trigram index instead of reading every organization."""

from django.db import migrations, models

TRIGRAMS = "CREATE INDEX IF NOT EXISTS orgs_name_trigrams ON orgs_organization USING gin (UPPER(name) gin_trgm_ops)"


def add_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(TRIGRAMS)


def remove_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS orgs_name_trigrams")


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_district_roles_and_committee_profile"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(fields=["depth", "path"], name="orgs_level_in_order"),
        ),
        migrations.RunPython(add_trigrams, remove_trigrams),
    ]
