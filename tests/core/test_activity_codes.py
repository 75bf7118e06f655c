"""Timelines and the activity log never show an internal code: every code written has a name and a sentence."""

import ast
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from projectize.core import activity
from projectize.core.activity import as_choice, as_money
from projectize.core.models import ActivityLog
from projectize.core.services import log_activity
from projectize.projects.models import Project
from tests.factories import make_root

SOURCE = Path(__file__).resolve().parents[2] / "projectize"
# Helpers that log under a code they are given; the codes are read at their call sites.
WRAPPERS = {"_log", "_set_status", "_save"}
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def codes_written() -> tuple[set[str], set[str], list[str]]:
    """Action codes and notice codes the source writes, and the places a code is not written literally."""
    actions, notices, unreadable = set(), set(), []
    for path in SOURCE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                name = getattr(call.func, "id", getattr(call.func, "attr", ""))
                keywords = {k.arg: k.value for k in call.keywords}
                if name == "log_activity" and "action" in keywords:
                    found = literals(keywords["action"])
                    if not found and function.name not in WRAPPERS | {"_record"}:
                        unreadable.append(f"{path.name}:{call.lineno}")
                    actions |= found
                elif name == "notify" and "verb" in keywords:
                    found = literals(keywords["verb"])
                    if not found:
                        unreadable.append(f"{path.name}:{call.lineno}")
                    notices |= found
                elif name in WRAPPERS:
                    actions |= {code for arg in [*call.args, *keywords.values()] for code in literals(arg)}
    return actions, notices, unreadable


def literals(node: ast.AST) -> set[str]:
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and CODE.match(n.value)
    }


def test_every_code_the_source_writes_has_a_name_and_every_notice_a_title():
    actions, notices, unreadable = codes_written()
    assert not unreadable, "codes should be written literally so they can be checked"
    assert len(actions) > 60 and len(notices) > 10  # the scan finds the call sites
    assert sorted(code for code in actions if activity.wording(code) is None) == []
    assert sorted(notices - set(activity.NOTICES)) == []


def test_every_workflow_step_is_named_by_its_label():
    assert str(activity.label("project.approve")) == "批准立项"
    assert str(activity.label("disbursement.approve")) == "批准支出"


@pytest.mark.django_db
def test_no_timeline_line_shows_a_code_in_either_language():
    """Every registered action, logged with or without its parameters, reads as words in both languages."""
    town = make_root()
    for code in activity.ACTIONS:
        log_activity(actor=None, action=code, target=town)
    log_activity(
        actor=None,
        action="allocation.reverse",
        target=town,
        params={"amount": as_money("24000"), "note": "重复分配"},
        after={"amount": as_money("-24000"), "kind": as_choice(town, "kind")},
    )
    assert ActivityLog.objects.count() == len(activity.ACTIONS) + 1
    pages = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            pages[language] = Template("{% load projectize %}{% timeline org 500 %}").render(Context({"org": town}))
        assert [code for code in activity.ACTIONS if code in pages[language]] == [], language
        assert "{'" not in pages[language] and not re.search(r"reversal \d", pages[language])
    assert "冲销经费分配 ¥24,000.00" in pages["zh-hans"] and "重复分配" in pages["zh-hans"]
    assert "Allocation of ¥24,000.00 reversed" in pages["en"] and "-¥24,000.00" in pages["en"]


@pytest.mark.django_db
def test_a_status_in_a_sentence_is_worded_in_the_readers_language():
    town = make_root()
    entry = log_activity(
        actor=None,
        action="project.import",
        target=town,
        params={"year": 2012, "status": as_choice(Project, "status", "concluded")},
    )
    with translation.override("en"):
        english = entry.sentence
    assert entry.sentence == "导入 2012 年项目（已结题）"
    assert english == "Imported a 2012 project (Concluded)"
