from django.core.management import call_command
from django.db import migrations

# The cache tables of the settings without Redis (CACHES: "default" and "pages"), made even while Redis is
# configured, so that a server may later run without it.
CACHE_TABLES = ["projectize_cache", "projectize_pages"]


def create_cache_tables(apps, schema_editor):
    # The command leaves a table that is already there as it is.
    call_command("createcachetable", *CACHE_TABLES, database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_drop_activity_by_organization"),
    ]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
