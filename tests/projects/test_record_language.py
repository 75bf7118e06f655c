"""A step taken by someone reading the English pages is still recorded, and announced, in Chinese."""

import pytest
from django.utils import translation

from projectize.core.models import ActivityLog, Notification
from projectize.projects.models import Project, ProjectStatus
from tests.projects.factories import make_project

pytestmark = pytest.mark.django_db


def test_the_log_entry_and_notice_of_a_step_are_in_the_systems_language(org, call, secretary, admin):
    draft = make_project(org, call)
    with translation.override("en"):
        assert str(ProjectStatus.SUBMITTED.label) == "Submitted"
        Project.workflow.apply(draft, "submit", actor=secretary)
    entry = ActivityLog.objects.get(action="project.submit")
    assert entry.message == "提交申报"
    assert (entry.before, entry.after) == ({"status": "草稿"}, {"status": "已提交"})
    # The town's staff are told of the new application in the language they work in.
    assert Notification.objects.get(recipient=admin).title.endswith("：提交申报")
