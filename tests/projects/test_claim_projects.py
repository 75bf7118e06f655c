"""The service the claims app uses to turn an awarded claim into a project."""

import pytest

from projectize.core.models import ActivityLog
from projectize.orgs.models import Role
from projectize.projects.models import ProjectOrigin, ProjectStatus, ProjectType
from projectize.projects.selectors import projects_visible_to
from projectize.projects.services import project_create_from_claim
from tests.factories import make_org, make_root, user_with_role

pytestmark = pytest.mark.django_db


def test_it_creates_an_approved_regional_project_with_a_code_and_partners():
    root = make_root()
    unit = make_org(root, "新桥派出所党支部")
    partner = make_org(root, "春申物业管理有限公司")
    admin = user_with_role(Role.TOWN_ADMIN, root)

    first = project_create_from_claim(
        organization=unit, title="平安小区共建", year=2013, partners=[partner, unit], actor=admin
    )
    second = project_create_from_claim(organization=partner, title="物业服务进楼组", year=2013, actor=admin)

    assert first.origin == ProjectOrigin.CLAIM
    assert first.type == ProjectType.REGIONAL
    assert first.status == ProjectStatus.APPROVED
    assert (first.code, second.code) == ("2013-RL-001", "2013-RL-002")
    assert [p.organization for p in first.partners.all()] == [partner]
    assert ActivityLog.objects.filter(action="project.create_from_claim", target_id=str(first.pk)).exists()
    # The partner's contact sees the project it carries together with the claimant.
    contact = user_with_role(Role.CLAIM_CONTACT, partner)
    assert set(projects_visible_to(contact)) == {first, second}
