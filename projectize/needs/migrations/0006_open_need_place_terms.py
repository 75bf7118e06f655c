"""The open needs' word index also holds each word by residential area (PostgreSQL).

`needs_need_place_terms(organization_id, area_id, tokens)` gives a need's words as `<committee>:<word>` and,
when it has an area, `a<area>:<word>` too. A lookup whose words are all common in the committee asks for
them in the query's area, and the posting lists it reads are then the area's, not the whole committee's
(at a million needs a town, a generic word's list holds tens of thousands of needs, an area's a few
hundred). It replaces the committee-only index of 0004.
"""

from django.db import migrations

OPEN = "('received', 'accepted', 'planned')"

FUNCTION = """
CREATE OR REPLACE FUNCTION needs_need_place_terms(organization bigint, area bigint, tokens text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT string_to_array(
    organization::text || ':' || replace(btrim(tokens), ' ', ' ' || organization::text || ':'), ' '
) || CASE WHEN area IS NULL THEN '{}'::text[] ELSE string_to_array(
    'a' || area::text || ':' || replace(btrim(tokens), ' ', ' a' || area::text || ':'), ' '
) END $$
"""

OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION needs_need_terms(organization bigint, tokens text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT string_to_array(
    organization::text || ':' || replace(btrim(tokens), ' ', ' ' || organization::text || ':'), ' '
) $$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS needs_need_open_place_terms ON needs_need "
        f"USING gin (needs_need_place_terms(organization_id, area_id, tokens)) WHERE status IN {OPEN}"
    )
    schema_editor.execute("DROP INDEX IF EXISTS needs_need_open_terms")
    schema_editor.execute("DROP FUNCTION IF EXISTS needs_need_terms(bigint, text)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OLD_FUNCTION)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS needs_need_open_terms ON needs_need "
        f"USING gin (needs_need_terms(organization_id, tokens)) WHERE status IN {OPEN}"
    )
    schema_editor.execute("DROP INDEX IF EXISTS needs_need_open_place_terms")
    schema_editor.execute("DROP FUNCTION IF EXISTS needs_need_place_terms(bigint, bigint, text)")


class Migration(migrations.Migration):
    dependencies = [("needs", "0005_need_list_indexes")]

    operations = [migrations.RunPython(create, drop)]
