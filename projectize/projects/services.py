"""Every write to projects: keyword-only, typed, in a transaction, logged against the project.

Workflow steps (submit, approve, start, ...) live in the tables of `workflows.py`; the services below
gather a form's input and take the step with it (`on_apply`), or make writes that are not status changes.
"""

import datetime
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.core.activity import as_choice, as_phrase
from projectize.core.files import IMAGE_KINDS
from projectize.core.services import attachments_add, log_activity
from projectize.core.workflow import TransitionError
from projectize.orgs.models import Organization, User
from projectize.projects import steps
from projectize.projects.models import (
    Acceptance,
    AcceptanceConclusion,
    AcceptanceStatus,
    Adoption,
    Call,
    ChangeRequest,
    CheckItem,
    Discussion,
    Indicator,
    Milestone,
    MilestoneStatus,
    Partner,
    ProgressReport,
    Project,
    ProjectOrigin,
    ProjectStatus,
    ProjectType,
    Promotion,
    SurveyResponse,
)
from projectize.projects.rules import is_project_owner, is_project_staff
from projectize.projects.workflows import ACCEPTANCE, CHANGE_REQUEST, MILESTONE, MILESTONE_STEPS, PROJECT, REPORT

APPLICATION_FIELDS = (
    "type",
    "title",
    "background",
    "approach",
    "measures",
    "expected_effects",
    "building_type",
    "budget_requested",
    "start_date",
    "end_date",
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# ---- calls --------------------------------------------------------------------------------------


def call_save(*, actor: User, organization: Organization, fields: dict[str, Any], call: Call | None = None) -> Call:
    """Create or change a call (year, title, phase dates, report interval)."""
    _require(is_project_staff(actor, organization), _("只有镇党委管理员可以设置年度申报。"))
    with transaction.atomic():
        created = call is None
        call = call or Call(organization=organization)
        for name, value in fields.items():
            setattr(call, name, value)
        if call.status != "draft" and (problem := steps.call_dates_problem(call)):
            raise TransitionError(problem)
        call.save()
        log_activity(
            actor=actor, action="call.create" if created else "call.update", target=call, params={"title": call.title}
        )
    return call


# ---- application --------------------------------------------------------------------------------


def application_save(
    *,
    actor: User,
    organization: Organization,
    fields: dict[str, Any],
    indicators: Sequence[dict[str, Any]],
    milestones: Sequence[dict[str, Any]],
    files: Iterable[Any] = (),
    call: Call | None = None,
    project: Project | None = None,
    seeded_from: Project | None = None,
) -> Project:
    """Save an application as a draft (new, or a draft or returned one being revised).

    `indicators` are dicts of name, unit, baseline, target; `milestones` of title, due_date. They
    replace the rows saved before. Files are added to the application's attachments.
    """
    with transaction.atomic():
        if project is None:
            assert call is not None
            if not organization.path.startswith(call.organization.path):
                raise PermissionDenied(_("该年度申报由其他党委发布，本组织不能申报。"))
            project = Project(origin=ProjectOrigin.CALL, call=call, organization=organization, year=call.year)
            project.seeded_from = seeded_from
        else:
            project = Project.objects.select_for_update().get(pk=project.pk)
        _require(is_project_owner(actor, project), _("只有本组织的书记或联络员可以填写申报。"))
        if project.status not in ProjectStatus.group("editable"):
            raise TransitionError(_("申报已提交，不能再修改。"))
        if problem := steps.application_phase_problem(project):
            raise TransitionError(problem)
        if seeded_from is not None:
            _check_seed(seeded_from, fields.get("type", project.type))
        created = project.pk is None
        for name in APPLICATION_FIELDS:
            if name in fields:
                setattr(project, name, fields[name])
        project.save()
        project.indicators.filter(is_custom=False).delete()
        Indicator.objects.bulk_create(Indicator(project=project, **row) for row in indicators)
        project.milestones.all().delete()
        Milestone.objects.bulk_create(Milestone(project=project, **row) for row in milestones)
        attachments_add(target=project, files=files, actor=actor, purpose="application")
        log_activity(
            actor=actor,
            action="project.create" if created else "project.update",
            target=project,
        )
    return project


def application_submit(
    *,
    actor: User,
    organization: Organization,
    fields: dict[str, Any],
    indicators: Sequence[dict[str, Any]],
    milestones: Sequence[dict[str, Any]],
    files: Iterable[Any] = (),
    call: Call | None = None,
    project: Project | None = None,
    seeded_from: Project | None = None,
) -> Project:
    """Save the application (as `application_save`) and submit it, in one transaction: an application
    that cannot be submitted is not saved either, and the form shows why."""
    with transaction.atomic():
        saved = application_save(
            actor=actor,
            organization=organization,
            fields=fields,
            indicators=indicators,
            milestones=milestones,
            files=files,
            call=call,
            project=project,
            seeded_from=seeded_from,
        )
        submitted: Project = PROJECT.apply(saved, "submit", actor=actor)
    return submitted


def _check_seed(source: Project, new_type: str) -> None:
    if source.type != ProjectType.INNOVATION or source.status != ProjectStatus.CONCLUDED:
        raise TransitionError(_("只有已结题的创新探索型项目可以转化为新项目。"))
    if new_type not in (ProjectType.DEMONSTRATION, ProjectType.INSTITUTIONAL):
        raise TransitionError(_("创新成果只能转化为典型示范型或制度推广型项目。"))


def project_create_from_claim(
    *,
    organization: Organization,
    title: str,
    year: int,
    actor: User,
    partners: Iterable[Organization] = (),
    background: str = "",
    approach: str = "",
    budget_requested: Decimal | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> Project:
    """An approved 区域化党建 project for an awarded claim (used by the claims app).

    `organization` is the claiming unit that carries the project; `partners` are the other units
    awarded the same target. The project gets origin=claim, type REGIONAL, status approved and a
    code such as 2013-RL-004; its 五定 is filled in on the project page before it starts.
    `actor` is the staff member who awarded the claim.
    """
    with transaction.atomic():
        project = Project.objects.create(
            origin=ProjectOrigin.CLAIM,
            organization=organization,
            year=year,
            type=ProjectType.REGIONAL,
            title=title,
            background=background,
            approach=approach,
            budget_requested=budget_requested,
            start_date=start_date,
            end_date=end_date,
            status=ProjectStatus.APPROVED,
            code=steps.next_code(year, "RL", steps.code_prefix_of(organization)),
            approved_at=datetime.datetime.now(tz=datetime.UTC),
        )
        Partner.objects.bulk_create(
            Partner(project=project, organization=partner) for partner in partners if partner.pk != organization.pk
        )
        log_activity(actor=actor, action="project.create_from_claim", target=project)
    return project


# ---- review: discussions ------------------------------------------------------------------------


def discussion_record(
    *,
    actor: User,
    call: Call,
    held_on: datetime.date,
    title: str,
    attendees: Iterable[User],
    minutes: str,
    outcomes: Sequence[tuple[Project, str, str]],
) -> Discussion:
    """Record a committee discussion round with an outcome (and note) for each application discussed."""
    _require(is_project_staff(actor, call), _("只有镇党委管理员可以记录研究讨论。"))
    with transaction.atomic():
        discussion = Discussion.objects.create(call=call, held_on=held_on, title=title, minutes=minutes)
        discussion.attendees.set(list(attendees))
        for project, outcome, note in outcomes:
            if project.call_id != call.pk:
                raise TransitionError(_("“%(p)s”不属于本年度申报。") % {"p": project})
            item = discussion.items.create(project=project, outcome=outcome, note=note)
            log_activity(
                actor=actor,
                action="project.discussed",
                target=project,
                params={"meeting": discussion, "outcome": as_choice(item, "outcome"), "note": note},
            )
        log_activity(actor=actor, action="discussion.create", target=discussion, params={"title": title})
    return discussion


# ---- implementation -----------------------------------------------------------------------------


def five_fixed_save(
    *,
    actor: User,
    project: Project,
    lead_leader: User | None,
    responsible: User | None,
    team: Sequence[dict[str, Any]],
    milestones: Sequence[dict[str, Any]] | None = None,
) -> Project:
    """Fill in 五定 (leader, responsible person, team and, before the start, the plan)."""
    _require(is_project_owner(actor, project) or is_project_staff(actor, project), _("您无权修改五定信息。"))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status not in ProjectStatus.group("five_fixed"):
            raise TransitionError(_("只有已立项或实施中的项目可以填写五定。"))
        if project.status == ProjectStatus.IN_PROGRESS and (
            lead_leader != project.lead_leader or responsible != project.responsible
        ):
            raise TransitionError(_("项目已启动，更换牵头领导或责任人请提交调整申请。"))
        project.lead_leader, project.responsible = lead_leader, responsible
        project.save()
        project.team.all().delete()
        project.team.model.objects.bulk_create(project.team.model(project=project, **row) for row in team)
        if milestones is not None and project.status == ProjectStatus.APPROVED:
            project.milestones.all().delete()
            Milestone.objects.bulk_create(Milestone(project=project, **row) for row in milestones)
        log_activity(actor=actor, action="project.five_fixed", target=project)
    return project


def report_schedule_set(*, actor: User, project: Project, interval_days: int) -> Project:
    """Staff set how often a project reports; reports not yet handed in are rescheduled."""
    _require(is_project_staff(actor, project), _("只有镇党委管理员可以设置报告周期。"))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        before = steps.report_interval(project)
        project.report_interval_days = interval_days
        project.save(update_fields=["report_interval_days", "updated_at"])
        if project.status in ProjectStatus.group("running"):
            started = timezone.localdate(project.started_at) if project.started_at else project.start_date
            assert started is not None
            steps.schedule_reports(project, started)
        log_activity(
            actor=actor,
            action="project.report_schedule",
            target=project,
            params={"days": interval_days},
            before={"days": before},
            after={"days": interval_days},
        )
    return project


def report_submit(
    *, actor: User, report: ProgressReport, content: str, actuals: dict[int, Decimal], files: Iterable[Any] = ()
) -> ProgressReport:
    """Hand in a progress report with indicator actuals and evidence (photos, documents)."""

    def fill(locked: ProgressReport) -> None:
        if not content.strip():
            raise TransitionError(_("请填写进展情况。"))
        locked.content = content
        locked.actuals.all().delete()
        indicators = set(locked.project.indicators.values_list("pk", flat=True))
        locked.actuals.bulk_create(
            locked.actuals.model(report=locked, indicator_id=pk, value=value)
            for pk, value in actuals.items()
            if pk in indicators and value is not None
        )
        attachments_add(target=locked, files=files, actor=actor, purpose="evidence")

    saved: ProgressReport = REPORT.apply(report, "submit", actor=actor, on_apply=fill)
    return saved


def report_review(*, actor: User, report: ProgressReport, accept: bool, comment: str = "") -> ProgressReport:
    # The step is logged on the report; the project's timeline includes its reports' entries.
    saved: ProgressReport = REPORT.apply(report, "accept" if accept else "return", actor=actor, note=comment)
    return saved


def milestone_assess(*, actor: User, milestone: Milestone, status: str) -> Milestone:
    """Record whether a milestone was met (the step of its table that leads to `status`); the project's
    progress follows. Assessing it as it already stands changes nothing."""
    if status not in MilestoneStatus.values:
        raise TransitionError(_("无效的完成情况。"))
    if status == milestone.status:
        return milestone
    assessed: Milestone = MILESTONE.apply(milestone, MILESTONE_STEPS[MilestoneStatus(status)], actor=actor)
    return assessed


def change_request_create(
    *,
    actor: User,
    project: Project,
    reason: str,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    budget: Decimal | None = None,
    responsible: User | None = None,
    targets: dict[int, Decimal] | None = None,
    milestones: list[dict[str, Any]] | None = None,
    team: list[dict[str, Any]] | None = None,
) -> ChangeRequest:
    """Ask to adjust a running project. Each argument is the wanted value (as the form shows it, filled
    with the current one); only what differs from the project is kept, and something must differ."""
    _require(is_project_owner(actor, project) or is_project_staff(actor, project), _("您无权申请调整。"))
    if project.status not in (ProjectStatus.IN_PROGRESS, ProjectStatus.RECTIFYING):
        raise TransitionError(_("只有实施中的项目可以申请调整。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写调整理由。")})
    start, end = start_date or project.start_date, end_date or project.end_date
    if start and end and end < start:
        raise ValidationError({"new_end_date": _("结束日期不能早于开始日期。")})
    if milestones is not None and not milestones:
        raise ValidationError({"milestones": _("请至少填写一个实施步骤（里程碑）。")})
    current_targets = dict(project.indicators.filter(is_custom=False).values_list("pk", "target"))
    plan = [{"title": m.title, "due_date": m.due_date.isoformat()} for m in project.milestones.all()]
    members = [{"name": t.name, "role": t.role} for t in project.team.all()]
    wanted_plan = [{"title": row["title"], "due_date": row["due_date"].isoformat()} for row in milestones or []]
    wanted_team = [{"name": row["name"], "role": row["role"]} for row in team or []]
    change = ChangeRequest(
        project=project,
        reason=reason.strip(),
        requested_by=actor,
        new_start_date=start_date if start_date and start_date != project.start_date else None,
        new_end_date=end_date if end_date and end_date != project.end_date else None,
        new_budget=budget if budget is not None and budget != project.budget_requested else None,
        new_responsible=responsible if responsible and responsible != project.responsible else None,
        new_targets={
            str(pk): str(value)
            for pk, value in (targets or {}).items()
            if pk in current_targets and value != current_targets[pk]
        }
        or None,
        new_milestones=wanted_plan if milestones is not None and wanted_plan != plan else None,
        new_team=wanted_team if team is not None and wanted_team != members else None,
    )
    if not change.parts():
        raise ValidationError(_("请至少调整一项内容：表中各项已填入现值，改动要调整的即可。"))
    with transaction.atomic():
        change.save()
        log_activity(
            actor=actor,
            action="project.change_request",
            target=project,
            params={"kind": as_phrase(change.summary), "note": change.reason},
        )
    return change


def change_request_decide(*, actor: User, change: ChangeRequest, approve: bool, note: str = "") -> ChangeRequest:
    saved: ChangeRequest = CHANGE_REQUEST.apply(change, "approve" if approve else "reject", actor=actor, note=note)
    return saved


# ---- acceptance ---------------------------------------------------------------------------------

DEFAULT_CHECKLIST = (
    _("项目台账与会议记录"),
    _("经费使用凭证"),
    _("进展报告与佐证材料"),
    _("制度文件与成果材料"),
)


def acceptance_schedule(
    *, actor: User, project: Project, scheduled_on: datetime.date, panel: Iterable[User], checklist: Sequence[str]
) -> Acceptance:
    """Schedule an acceptance with its panel and checklist; the project moves to 验收中."""
    created: list[Acceptance] = []

    def make(locked: Project) -> None:
        acceptance = Acceptance.objects.create(project=locked, scheduled_on=scheduled_on)
        acceptance.panel.set(list(panel))
        CheckItem.objects.bulk_create(CheckItem(acceptance=acceptance, item=item) for item in checklist if item.strip())
        created.append(acceptance)

    PROJECT.apply(project, "schedule_acceptance", actor=actor, on_apply=make)
    return created[0]


def acceptance_record(
    *,
    actor: User,
    acceptance: Acceptance,
    fields: dict[str, Any],
    checks: dict[int, tuple[bool, str]],
    photos: Iterable[Any] = (),
) -> Acceptance:
    """Record the four parts (听、看、查、问): notes, scores, checklist results, interview counts, photos."""
    _require(actor.has_perm("projects.record_acceptance", acceptance), _("只有验收组成员可以记录验收。"))
    with transaction.atomic():
        acceptance = Acceptance.objects.select_for_update().get(pk=acceptance.pk)
        if acceptance.status != AcceptanceStatus.SCHEDULED:
            raise TransitionError(_("验收已出结论，不能再修改记录。"))
        for name, value in fields.items():
            setattr(acceptance, name, value)
        acceptance.save()
        for item in acceptance.check_items.all():
            if item.pk in checks:
                item.passed, item.notes = checks[item.pk]
                item.save(update_fields=["passed", "notes"])
        attachments_add(target=acceptance, files=photos, actor=actor, purpose="look", kinds=IMAGE_KINDS)
        log_activity(actor=actor, action="acceptance.record", target=acceptance.project)
    return acceptance


def respondent_key(mobile: str, acceptance: Acceptance) -> str:
    """A keyed hash of the mobile number: one answer per person without keeping a list of numbers."""
    message = f"{acceptance.pk}:{mobile}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def survey_answer(*, acceptance: Acceptance, mobile: str, satisfaction: str, comment: str = "") -> SurveyResponse:
    """A resident's answer from the public survey page (no login): one per mobile number."""
    if not acceptance.survey_open or acceptance.status != AcceptanceStatus.SCHEDULED:
        raise TransitionError(_("本次问卷已结束，感谢您的关注。"))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                acceptance=acceptance,
                respondent=respondent_key(mobile, acceptance),
                satisfaction=satisfaction,
                comment=comment,
            )
    except IntegrityError:
        raise TransitionError(_("该手机号已经填写过本问卷，每人只能填写一次。")) from None
    log_activity(actor=None, action="survey.answer", target=acceptance.project)
    return response


def acceptance_conclude(*, actor: User, acceptance: Acceptance, conclusion: str, note: str) -> Acceptance:
    """Conclude the acceptance (totalled and graded through its rubric, see `steps.on_acceptance_conclude`).

    Accepted leaves the project in 验收中 until the 结题 summary; rectify and failed move it on, in the
    same transaction.
    """
    if conclusion not in AcceptanceConclusion.values:
        raise TransitionError(_("请选择验收结论。"))

    def record(locked: Acceptance) -> None:
        locked.conclusion = conclusion

    with transaction.atomic():
        concluded: Acceptance = ACCEPTANCE.apply(acceptance, "conclude", actor=actor, note=note, on_apply=record)
        step = {AcceptanceConclusion.RECTIFY: "rectify", AcceptanceConclusion.FAILED: "fail"}.get(
            AcceptanceConclusion(conclusion)
        )
        if step:
            PROJECT.apply(concluded.project, step, actor=actor, note=note)
    return concluded


def project_conclude(
    *,
    actor: User,
    project: Project,
    summary: str,
    counters: dict[str, int],
    actuals: dict[int, Decimal],
    custom_indicators: Sequence[dict[str, Any]] = (),
) -> Project:
    """The 结题 summary: final actuals, outcome counters and custom indicators; the project concludes."""

    def record(locked: Project) -> None:
        locked.conclusion_summary = summary
        for name in ("rules_established", "problems_solved", "service_brands", "beneficiaries"):
            setattr(locked, name, counters.get(name, 0))
        for indicator in locked.indicators.all():
            if indicator.pk in actuals:
                indicator.actual = actuals[indicator.pk]
                indicator.save(update_fields=["actual"])
        Indicator.objects.bulk_create(Indicator(project=locked, is_custom=True, **row) for row in custom_indicators)

    if not summary.strip():
        raise TransitionError(_("请填写结题总结。"))
    concluded: Project = PROJECT.apply(project, "conclude", actor=actor, on_apply=record)
    return concluded


# ---- promotion ----------------------------------------------------------------------------------


def promotion_save(*, actor: User, project: Project, summary: str) -> Promotion:
    """Mark a concluded project's practice for promotion (or revise its experience summary)."""
    _require(is_project_staff(actor, project), _("只有镇党委管理员可以推广项目经验。"))
    if project.status != ProjectStatus.CONCLUDED:
        raise TransitionError(_("只有已结题的项目可以推广。"))
    if not summary.strip():
        raise TransitionError(_("请填写经验总结。"))
    with transaction.atomic():
        promotion, created = Promotion.objects.update_or_create(
            project=project, defaults={"summary": summary}, create_defaults={"summary": summary, "promoted_by": actor}
        )
        log_activity(
            actor=actor,
            action="project.promote" if created else "project.promotion_update",
            target=project,
        )
    return promotion


def adoption_add(
    *, actor: User, promotion: Promotion, organization: Organization, adopted_on: datetime.date, note: str = ""
) -> Adoption:
    _require(is_project_staff(actor, promotion.project), _("只有镇党委管理员可以登记采纳组织。"))
    with transaction.atomic():
        adoption, created = Adoption.objects.get_or_create(
            promotion=promotion, organization=organization, defaults={"adopted_on": adopted_on, "note": note}
        )
        if not created:
            raise TransitionError(_("“%(org)s”已经登记为采纳组织。") % {"org": organization})
        log_activity(
            actor=actor,
            action="project.adopted",
            target=promotion.project,
            params={"organization": organization, "note": note},
        )
    return adoption
