"""The architecture's rules that import contracts cannot see (ARCHITECTURE.md; contracts: pyproject.toml)."""

import re
from pathlib import Path

import grimp
from django.apps import apps
from django.db import models

from projectize.core.workflow import registered_workflows

SOURCE = Path(__file__).resolve().parent.parent / "projectize"

# Models whose state is not a process people move through: a background job's state belongs to the runner.
NOT_PROCESSES = {"core.job"}


def _python_files() -> list[Path]:
    return [p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts]


def test_every_stateful_model_has_one_transition_table():
    tables = {wf.model for wf in registered_workflows()}
    stateful = {
        model
        for model in apps.get_models()
        if model.__module__.startswith("projectize.")
        and any(f.name in ("status", "state") and f.choices for f in model._meta.get_fields() if f.concrete)
    }
    missing = sorted(m._meta.label_lower for m in stateful - tables if m._meta.label_lower not in NOT_PROCESSES)
    assert missing == []


def test_only_the_engine_assigns_a_workflows_state_field():
    fields = {wf.state_field for wf in registered_workflows()}
    names = "|".join(sorted(fields))
    assignment = re.compile(rf"\.({names})\s*=(?!=)|\.update\([^)]*\b({names})\s*=", re.S)
    engine = SOURCE / "core" / "workflow.py"
    jobs = SOURCE / "core" / "jobs.py"  # a job's state (core.job) is run by the job runner
    found = [
        f"{path.relative_to(SOURCE)}:{text[: m.start()].count(chr(10)) + 1}: {m.group(0)[:60]}"
        for path in _python_files()
        if path not in (engine, jobs)
        for text in [path.read_text()]
        for m in assignment.finditer(text)
    ]
    assert found == []


def _templates() -> list[Path]:
    return list(SOURCE.rglob("templates/**/*.html"))


def test_no_template_compares_a_state_to_a_literal():
    # Templates ask the table: {% if project|state_in:"running" %}, {% status_badge project %}.
    literal = re.compile(r"""\b(status|state)\s*(==|!=|in\s*["'])""")
    found = [
        f"{path.relative_to(SOURCE)}: {m.group(0)}" for path in _templates() for m in literal.finditer(path.read_text())
    ]
    assert found == []


def test_no_template_names_a_role():
    # Menus and buttons are shown by permission ({% if perms.projects.view_overdue %}), never by role name.
    from projectize.orgs.models import Role

    role_names = "|".join(re.escape(value) for value in Role.values)
    named = re.compile(rf"""["']({role_names})["']|\bnav_roles\b""")
    found = [
        f"{path.relative_to(SOURCE)}: {m.group(0)}" for path in _templates() for m in named.finditer(path.read_text())
    ]
    assert found == []


def test_no_app_imports_another_apps_views():
    graph = grimp.build_graph("projectize")
    views = [m for m in graph.modules if m.endswith(".views")]
    found = sorted(
        f"{importer} -> {view}"
        for view in views
        for importer in graph.find_modules_that_directly_import(view)
        if importer.split(".")[1] != view.split(".")[1] and importer != "projectize.urls"
    )
    assert found == []


def test_status_choices_name_only_their_own_states():
    for workflow in registered_workflows():
        states = set(workflow.states.values)
        assert set(workflow.states.tones) <= states, workflow.model
        for group in workflow.states.groups.values():
            assert set(group) <= states, workflow.model
        for step in workflow.transitions:
            assert {*step.sources, step.target} <= states, (workflow.model, step.name)
        assert isinstance(workflow.model._meta.get_field(workflow.state_field), models.Field)


# People and organizations (orgs) and the records of core are read directly by every app; a demo builds its
# data directly. Any other app's table is read through that app's selectors or services.
SHARED_BASE = ("orgs", "core")


def test_apps_read_other_domain_apps_through_their_selectors():
    import ast

    found = []
    for path in _python_files():
        app = path.relative_to(SOURCE).parts[0]
        if path.name == "demo.py" or path.suffix != ".py":
            continue
        text = path.read_text()
        names = {
            alias.asname or alias.name
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models")
            for owner in [node.module.split(".")[1]]
            if node.module.startswith("projectize.") and owner != app and owner not in SHARED_BASE
            for alias in node.names
        }
        found += [
            f"{path.relative_to(SOURCE)}: {m.group(0)}"
            for name in sorted(names)
            for m in re.finditer(rf"\b{re.escape(name)}\.(objects|_default_manager)\b", text)
        ]
    assert found == []


def test_models_import_no_code_of_their_own_app_above_them():
    # Models import nothing from steps, services, selectors or workflows, at the top or inside a function.
    above = re.compile(r"^\s*from projectize\.\w+\.(steps|services|selectors|workflows|views|forms)\b", re.M)
    found = [
        f"{path.relative_to(SOURCE)}: {m.group(0).strip()}"
        for path in SOURCE.glob("*/models.py")
        for m in above.finditer(path.read_text())
    ]
    assert found == []
