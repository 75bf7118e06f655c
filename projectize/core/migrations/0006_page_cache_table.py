from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # Kept pages and their tokens have a table of their own without Redis (settings.CACHES["pages"]); the
    # command makes the tables of the caches configured that are missing, and leaves the others be.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_drop_activity_by_organization"),
    ]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
