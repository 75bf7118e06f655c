"""The project list at city scale (issue 15): each project carries its organization's path, and the list's
filters and sorts have indexes.

`organization_path` is kept by the database, whatever writes the rows (the ORM, treebeard's raw path
updates, COPY in `generate_scale`):
- a project takes its organization's path when it is inserted and whenever an UPDATE names its
  organization or the path (every ORM save does), so a project saved from a stale copy cannot keep an
  old path;
- when an organization's path changes (it moves, or a new sibling earlier in name order renumbers it
  and its subtree), its projects take the new path.

On PostgreSQL the column is collated "C" (paths are ASCII), so one b-tree serves both `LIKE 'prefix%'`
and `ORDER BY organization_path`. SQLite gets the same triggers in its own dialect; a later migration that
rebuilds projects_project or orgs_organization on SQLite drops them and must create them again
(tests/projects/test_visibility_rules.py moves organizations and fails if they are gone).
"""

from django.db import migrations, models

BACKFILL = (
    "UPDATE projects_project SET organization_path = "
    "(SELECT path FROM orgs_organization WHERE orgs_organization.id = projects_project.organization_id)"
)

POSTGRES = """
ALTER TABLE projects_project ALTER COLUMN organization_path TYPE varchar(255) COLLATE "C";
CREATE OR REPLACE FUNCTION projects_project_take_organization_path() RETURNS trigger AS $$
BEGIN
    SELECT path INTO NEW.organization_path FROM orgs_organization WHERE id = NEW.organization_id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_project_organization_path
    BEFORE INSERT OR UPDATE OF organization_id, organization_path ON projects_project
    FOR EACH ROW EXECUTE FUNCTION projects_project_take_organization_path();
CREATE OR REPLACE FUNCTION projects_project_follow_organization() RETURNS trigger AS $$
BEGIN
    UPDATE projects_project SET organization_path = NEW.path WHERE organization_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_project_follow_organization
    AFTER UPDATE OF path ON orgs_organization
    FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path)
    EXECUTE FUNCTION projects_project_follow_organization();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS projects_project_follow_organization ON orgs_organization;
DROP FUNCTION IF EXISTS projects_project_follow_organization();
DROP TRIGGER IF EXISTS projects_project_organization_path ON projects_project;
DROP FUNCTION IF EXISTS projects_project_take_organization_path();
"""
_TAKE_PATH = (
    "UPDATE projects_project SET organization_path = "
    "(SELECT path FROM orgs_organization WHERE id = NEW.organization_id) WHERE id = NEW.id"
)
SQLITE = [
    f"CREATE TRIGGER projects_project_organization_path_insert AFTER INSERT ON projects_project "
    f"BEGIN {_TAKE_PATH}; END",
    f"CREATE TRIGGER projects_project_organization_path_update "
    f"AFTER UPDATE OF organization_id, organization_path ON projects_project BEGIN {_TAKE_PATH}; END",
    "CREATE TRIGGER projects_project_follow_organization AFTER UPDATE OF path ON orgs_organization "
    "WHEN OLD.path IS NOT NEW.path "
    "BEGIN UPDATE projects_project SET organization_path = NEW.path WHERE organization_id = NEW.id; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS projects_project_follow_organization",
    "DROP TRIGGER IF EXISTS projects_project_organization_path_update",
    "DROP TRIGGER IF EXISTS projects_project_organization_path_insert",
]


def install(apps, schema_editor):
    schema_editor.execute(BACKFILL)
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0001_initial"),
        ("projects", "0001_initial"),
    ]

    operations = [
        # First what rebuilds the table on SQLite, which would drop the triggers made below.
        migrations.AlterField(
            model_name="project",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "草稿"),
                    ("submitted", "已提交"),
                    ("under_review", "评审中"),
                    ("returned", "退回修改"),
                    ("approved", "已立项"),
                    ("rejected", "未立项"),
                    ("withdrawn", "已撤回"),
                    ("in_progress", "实施中"),
                    ("acceptance", "验收中"),
                    ("rectifying", "整改复查"),
                    ("concluded", "已结题"),
                    ("failed", "验收不合格"),
                ],
                default="draft",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="project",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="年度"),
        ),
        migrations.AddField(
            model_name="project",
            name="organization_path",
            field=models.CharField(default="", editable=False, max_length=255, verbose_name="组织路径"),
        ),
        migrations.RunPython(install, remove),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["-year", "code", "id"], name="project_list_default"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["year", "code", "id"], name="project_list_year"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["organization_path", "code", "id"], name="project_list_organization"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["status", "-year", "code", "id"], name="project_list_status"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["title", "id"], name="project_list_title"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["-progress", "code", "id"], name="project_list_progress"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["-updated_at", "-id"], name="project_list_updated"),
        ),
    ]
