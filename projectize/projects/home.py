from django.urls import reverse
from django.utils.translation import gettext as _

from projectize.core.home import Card
from projectize.core.pagination import COUNT_CAP
from projectize.orgs.models import Role, User
from projectize.orgs.permissions import has_role
from projectize.projects.models import ChangeRequest, ChangeStatus, ProgressReport, Project, ProjectStatus, ReportStatus
from projectize.projects.rules import PROJECT_ORG_ROLES
from projectize.projects.selectors import in_subtrees, overdue_counts, projects_visible_to


def cards(user: User) -> list[Card]:
    """Work waiting on the user: applications to decide, reports to review, drafts and reports to hand in."""
    found: list[Card] = []
    projects_url = reverse("projects:list")
    if has_role(user, (Role.TOWN_ADMIN,)):
        staff_projects = Project.objects.filter(in_subtrees(user, (Role.TOWN_ADMIN,)))
        waiting = staff_projects.filter(status__in=ProjectStatus.group("deciding")).count()
        found.append(Card(_("待评审审批的申报"), waiting, f"{projects_url}?status=submitted", tone=_tone(waiting)))
        reports = ProgressReport.objects.filter(project__in=staff_projects, status=ReportStatus.SUBMITTED).count()
        changes = ChangeRequest.objects.filter(project__in=staff_projects, status=ChangeStatus.PENDING).count()
        found.append(
            Card(
                _("待审核的进展报告和调整申请"),
                reports + changes,
                f"{projects_url}?status=in_progress",
                tone=_tone(reports + changes),
            )
        )
    if has_role(user, PROJECT_ORG_ROLES):
        own = Project.objects.filter(in_subtrees(user, PROJECT_ORG_ROLES))
        todo = own.filter(status__in=ProjectStatus.group("editable")).count()
        found.append(Card(_("待提交的申报"), todo, projects_url, hint=_("草稿和退回修改的申报"), tone=_tone(todo)))
        due = ProgressReport.objects.filter(
            project__in=own,
            status__in=ReportStatus.group("to_hand_in"),
            project__status=ProjectStatus.IN_PROGRESS,
        ).count()
        found.append(Card(_("待提交的进展报告"), due, projects_url, tone=_tone(due)))
    if has_role(user, (Role.TOWN_ADMIN, Role.LEADER, *PROJECT_ORG_ROLES)):
        # Counted up to the cap, as the 督办 list counts them; beyond it the card says "N+".
        overdue, long_overdue = overdue_counts(projects=projects_visible_to(user))
        found.append(
            Card(
                _("逾期事项"),
                min(overdue, COUNT_CAP),
                reverse("projects:overdue"),
                hint=_("其中严重逾期 %(n)s 项") % {"n": f"{COUNT_CAP}+" if long_overdue > COUNT_CAP else long_overdue},
                tone="danger" if overdue else "secondary",
                more=overdue > COUNT_CAP,
            )
        )
    return found


def _tone(count: int) -> str:
    return "primary" if count else "secondary"
