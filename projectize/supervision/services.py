"""Every write of supervision: activities, analyses, guidance, feedback letters, warnings and 问责.

Letters and their items move through their tables in workflows.py; the functions here add
the input a step needs (the answer and its evidence) in the same transaction. Bad input raises
ValidationError keyed by field; a step the state does not allow raises TransitionError; a user
without the right gets PermissionDenied. Nothing changes when anything is refused.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projectize.core.activity import as_choice, as_phrase, shown
from projectize.core.files import IMAGE_KINDS
from projectize.core.services import attachments_add, log_activity, notify
from projectize.orgs.models import COMMITTEE_KINDS, Organization, User
from projectize.orgs.selectors import committee_of
from projectize.projects import selectors as projects
from projectize.projects.models import Project
from projectize.supervision import selectors
from projectize.supervision.models import (
    AccountabilityRecord,
    Activity,
    Analysis,
    Finding,
    FollowUp,
    FollowUpKind,
    GuidanceNote,
    ItemStatus,
    Letter,
    LetterItem,
    LetterStatus,
    ProjectWarning,
    RuleKind,
    WarningRule,
)
from projectize.supervision.rules import is_supervisor, is_town_leader
from projectize.supervision.workflows import LETTER, LETTER_ITEM


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def activity_create(
    *,
    organization: Organization,
    kind: str,
    title: str,
    date: datetime.date,
    actor: User,
    location: str = "",
    participants: Iterable[User] = (),
    other_participants: str = "",
    summary: str = "",
    photos: Iterable[Any] = (),
) -> Activity:
    _require(bool(is_supervisor(actor, organization) or is_town_leader(actor, organization)), _("您无权记录督查活动。"))
    with transaction.atomic():
        activity = Activity.objects.create(
            organization=organization,
            kind=kind,
            title=title,
            date=date,
            location=location,
            other_participants=other_participants,
            summary=summary,
            created_by=actor,
        )
        activity.participants.set(participants)
        attachments_add(target=activity, files=photos, actor=actor, purpose="photo", kinds=IMAGE_KINDS)
        log_activity(actor=actor, action="activity.create", target=activity, params={"activity": activity})
    return activity


def finding_add(*, activity: Activity, project: Project, text: str, actor: User) -> Finding:
    """Record what the activity found about one project (one finding per project; adding again appends)."""
    _require(
        bool(is_supervisor(actor, activity.organization) or is_town_leader(actor, activity.organization)),
        _("您无权记录督查发现。"),
    )
    if not text.strip():
        raise ValidationError({"text": _("请填写发现的情况和问题。")})
    with transaction.atomic():
        finding = Finding.objects.select_for_update().filter(activity=activity, project=project).first()
        if finding is None:
            finding = Finding.objects.create(activity=activity, project=project, text=text.strip())
        else:
            finding.text = f"{finding.text}\n{text.strip()}"
            finding.save(update_fields=["text"])
        log_activity(
            actor=actor, action="finding.add", target=activity, params={"project": project, "note": text[:300]}
        )
        log_activity(
            actor=actor,
            action="project.finding",
            target=project,
            params={"kind": as_choice(activity, "kind"), "note": text[:300]},
        )
    return finding


def analysis_create(
    *, project: Project, date: datetime.date, problems: str, causes: str, recommendations: str, actor: User
) -> Analysis:
    _require(bool(is_supervisor(actor, project) or is_town_leader(actor, project)), _("您无权剖析该项目。"))
    with transaction.atomic():
        analysis = Analysis.objects.create(
            project=project,
            date=date,
            problems=problems,
            causes=causes,
            recommendations=recommendations,
            author=actor,
        )
        log_activity(actor=actor, action="analysis.create", target=project)
        notify(
            recipients=projects.project_people(project),
            verb="analysis.new",
            params={"project": project, "note": recommendations},
            url=analysis.get_absolute_url(),
        )
    return analysis


def guidance_create(*, project: Project, date: datetime.date, content: str, actor: User) -> GuidanceNote:
    _require(bool(is_supervisor(actor, project) or is_town_leader(actor, project)), _("您无权对该项目提出指导意见。"))
    with transaction.atomic():
        note = GuidanceNote.objects.create(project=project, date=date, content=content, author=actor)
        log_activity(actor=actor, action="guidance.create", target=project, params={"note": content[:300]})
        notify(
            recipients=projects.project_people(project),
            verb="guidance.new",
            params={"project": project, "note": content},
            url=project.get_absolute_url(),
        )
    return note


def default_prefix(issuer: Organization) -> str:
    """The prefix of the issuer's last letter, else one made from its name (新桥镇党委 → 新桥督函)."""
    last = Letter.objects.filter(issuer=issuer).order_by("-created_at", "-id").values_list("prefix", flat=True)
    return last.first() or f"{issuer.name[:2]}督函"


def letter_create(
    *,
    project: Project,
    issuer: Organization,
    title: str,
    body: str,
    prefix: str,
    actor: User,
    activity: Activity | None = None,
) -> Letter:
    """A draft letter from a committee about one of its projects; items are added before it is sent.

    The project's own committee writes to the project's organization and its 责任人; a committee above it
    (a district) writes to the town committee the project belongs to, which answers for it.
    """
    _require(
        bool(
            issuer.is_committee and is_supervisor(actor, issuer) and project.organization.path.startswith(issuer.path)
        ),
        _("您无权为该项目发函。"),
    )
    town = committee_of(project.organization)
    own = town.pk == issuer.pk
    with transaction.atomic():
        letter = Letter.objects.create(
            issuer=issuer,
            organization=project.organization if own else town,
            project=project,
            responsible=project.responsible if own else None,
            activity=activity,
            prefix=prefix.strip(),
            title=title,
            body=body,
            created_by=actor,
        )
        log_activity(actor=actor, action="letter.create", target=letter, params={"title": title})
    return letter


def letter_item_add(
    *, letter: Letter, problem: str, requirement: str, deadline: datetime.date, actor: User
) -> LetterItem:
    _require(bool(is_supervisor(actor, letter)), _("您无权修改该函件。"))
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("整改期限不能早于今天。")})
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if not LETTER.in_group(locked, "editable"):
            raise ValidationError(_("函件已发出，不能再增加问题。"))
        number = (locked.items.aggregate(last=Max("number"))["last"] or 0) + 1
        item = LetterItem.objects.create(
            letter=locked, number=number, problem=problem, requirement=requirement, deadline=deadline
        )
        log_activity(
            actor=actor,
            action="letter.item_add",
            target=locked,
            params={"number": item.number, "problem": item.problem[:40]},
        )
    return item


def letter_send(*, letter: Letter, actor: User) -> Letter:
    """Number, date and send the letter: a notification and an e-mail to the organization and 责任人."""
    sent: Letter = LETTER.apply(letter, "send", actor=actor)
    return sent


def letter_acknowledge(*, letter: Letter, actor: User) -> Letter:
    acknowledged: Letter = LETTER.apply(letter, "acknowledge", actor=actor)
    return acknowledged


def item_answer(*, item: LetterItem, action_taken: str, evidence: Iterable[Any] = (), actor: User) -> LetterItem:
    """The addressed organization reports what it did about one item, with evidence files."""
    if not action_taken.strip():
        raise ValidationError({"action_taken": _("请填写整改措施及成效。")})

    def record(locked: LetterItem) -> None:
        locked.action_taken = action_taken.strip()
        locked.answered_at = timezone.now()
        locked.answered_by = actor

    with transaction.atomic():
        answered: LetterItem = LETTER_ITEM.apply(item, "answer", actor=actor, note=action_taken[:300], on_apply=record)
        attachments_add(target=answered, files=evidence, actor=actor, purpose="evidence")
    return answered


def item_verify(*, item: LetterItem, accept: bool, note: str = "", actor: User) -> LetterItem:
    """Staff accept an answered item or return it with a reason; the last item accepted closes the letter."""
    verified: LetterItem = LETTER_ITEM.apply(item, "accept" if accept else "return", actor=actor, note=note)
    return verified


# --- Accountability ------------------------------------------------------------------------------


# A failed acceptance older than this is history, not news: no warning is raised for it any more.
FAILED_ACCEPTANCE_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Cause:
    key: str
    project: Project
    # What is late, as a phrase with its parameters: the log and notices word it in each reader's language.
    phrase: Any
    params: dict[str, Any]

    @property
    def message(self) -> str:
        return shown(as_phrase(self.phrase, **self.params))


def _causes(rule: WarningRule, today: datetime.date, stops: Sequence[str] = ()) -> list[Cause]:
    """What the rule's kind finds overdue by at least `rule.days` days within its committee's subtree,
    short of the lower committees at `stops`."""
    cutoff = today - datetime.timedelta(days=rule.days)

    def within(prefix: str = "") -> Q:
        lookup = f"{prefix}project__organization__path__startswith"
        query = Q(**{lookup: rule.organization.path})
        for stop in stops:
            query &= ~Q(**{lookup: stop})
        return query

    if rule.kind == RuleKind.OVERDUE_REPORT:
        reports = projects.overdue_reports(today).filter(within(), due_date__lte=cutoff)
        return [
            Cause(
                f"report:{r.pk}",
                r.project,
                gettext_lazy("%(report)s 逾期 %(days)s 天未交"),
                {**_overdue(r, r.due_date, today), "report": r.title_phrase()},
            )
            for r in reports
        ]
    if rule.kind == RuleKind.MISSED_MILESTONE:
        milestones = projects.overdue_milestones(today).filter(within(), due_date__lte=cutoff)
        return [
            Cause(
                f"milestone:{m.pk}",
                m.project,
                gettext_lazy("%(project)s 的“%(report)s”逾期 %(days)s 天未完成"),
                _overdue(m, m.due_date, today),
            )
            for m in milestones
        ]
    if rule.kind == RuleKind.UNANSWERED_LETTER:
        items = (
            LetterItem.objects.filter(
                within("letter__"),
                status__in=ItemStatus.group("to_answer"),
                deadline__lt=today,
                deadline__lte=cutoff,
                letter__status__in=LetterStatus.group("open"),
            )
            .order_by("letter_id", "deadline")
            .select_related("letter__project__organization")
        )
        letters: dict[int, Cause] = {}
        for item in items:
            letters.setdefault(
                item.letter_id,
                Cause(
                    f"letter:{item.letter_id}",
                    item.letter.project,
                    gettext_lazy("%(report)s 逾期 %(days)s 天未回复"),
                    _overdue(item.letter, item.deadline, today),
                ),
            )
        return list(letters.values())
    acceptances = projects.failed_acceptances().filter(
        within(),
        scheduled_on__lte=cutoff,
        scheduled_on__gt=today - datetime.timedelta(days=FAILED_ACCEPTANCE_WINDOW_DAYS),
    )
    return [
        Cause(
            f"acceptance:{a.pk}",
            a.project,
            gettext_lazy("%(project)s 验收不合格（%(date)s）"),
            _overdue(a, a.scheduled_on, today),
        )
        for a in acceptances
    ]


def _overdue(obj: Any, since: datetime.date, today: datetime.date) -> dict[str, Any]:
    return {"report": obj, "project": obj.project, "days": (today - since).days, "date": since}


def _lower_committees(rules: Iterable[WarningRule]) -> dict[int, list[str]]:
    """For each rule's committee, the paths of the committees below it: a rule stops where another
    committee's own rules begin (a district's rules are not a town's)."""
    paths = {rule.organization_id: rule.organization.path for rule in rules}
    below: dict[int, list[str]] = {pk: [] for pk in paths}
    if not paths:
        return below
    within = Q(pk__in=[])
    for path in set(paths.values()):
        within |= Q(path__startswith=path)
    lower = Organization.objects.filter(within, kind__in=COMMITTEE_KINDS).values_list("path", flat=True)
    for path in lower:
        for pk, top in paths.items():
            if path != top and path.startswith(top):
                below[pk].append(path)
    return below


def warnings_evaluate(
    *, today: datetime.date | None = None, committees: Iterable[Organization] | None = None
) -> list[ProjectWarning]:
    """Raise the warnings the active rules call for today (of the given committees only, if any). Run
    daily; running again the same day raises nothing new, since a cause gets each level once. A cause
    that qualifies for several levels gets only the highest that it has not had yet. A committee's rules
    cover its own organizations, not those of the committees below it."""
    today = today or timezone.localdate()
    raised: list[ProjectWarning] = []
    active = (
        WarningRule.objects.filter(is_active=True)
        .select_related("organization")
        .order_by("organization_id", "kind", "-days")
    )
    if committees is not None:
        active = active.filter(organization__in=list(committees))
    rules = list(active)
    lower = _lower_committees(rules)
    handled: set[tuple[int, str, str]] = set()
    for rule in rules:
        causes = [
            c
            for c in _causes(rule, today, lower[rule.organization_id])
            if (rule.organization_id, rule.kind, c.key) not in handled
        ]
        handled.update((rule.organization_id, rule.kind, c.key) for c in causes)
        if not causes:
            continue
        existing = set(
            ProjectWarning.objects.filter(cause__in=[c.key for c in causes], level=rule.level).values_list(
                "cause", flat=True
            )
        )
        with transaction.atomic():
            for cause in causes:
                if cause.key in existing:
                    continue
                warning = ProjectWarning.objects.create(
                    rule=rule,
                    level=rule.level,
                    organization=cause.project.organization,
                    project=cause.project,
                    cause=cause.key,
                    message=str(cause.message)[:300],
                    raised_on=today,
                )
                raised.append(warning)
                params = {"level": as_choice(warning, "level"), "message": as_phrase(cause.phrase, **cause.params)}
                log_activity(actor=None, action="warning.raise", target=cause.project, params=params)
                notify(
                    recipients=projects.project_people(cause.project),
                    verb="warning.new",
                    params=params,
                    url=cause.project.get_absolute_url(),
                )
    return raised


def follow_up(*, project: Project, item: str, kind: str, actor: User, note: str = "") -> FollowUp:
    """督办 one overdue report or milestone of the project: send its people a reminder (催办), or record
    督办 done by other means with a note saying what was done. Both are kept on the item and logged."""
    _require(bool(is_supervisor(actor, project)), _("您无权督办该项目。"))
    overdue = {i.key: i for i in projects.overdue_items(projects=type(project).objects.filter(pk=project.pk))}
    if item not in overdue:
        raise ValidationError(_("该事项已不再逾期，无需督办。"))
    if kind == FollowUpKind.RECORD and not note.strip():
        raise ValidationError({"note": _("请填写督办情况：何时、以什么方式、对方如何答复。")})
    if kind not in FollowUpKind.values:
        raise ValidationError({"kind": _("请选择督办方式。")})
    late = overdue[item]
    params = {"item": late.title, "days": late.days, "note": note.strip()}
    with transaction.atomic():
        record = FollowUp.objects.create(project=project, item=item, kind=kind, note=note.strip(), actor=actor)
        log_activity(
            actor=actor,
            action="followup.remind" if kind == FollowUpKind.REMIND else "followup.record",
            target=project,
            params=params,
        )
        if kind == FollowUpKind.REMIND:
            notify(
                recipients=projects.project_people(project),
                verb="followup.remind",
                params={"project": str(project), **params},
                url=late.url,
            )
    return record


def rule_save(
    *, organization: Organization, kind: str, level: str, days: int, is_active: bool, actor: User
) -> WarningRule:
    """Set the rule for one kind and level (the number of days, or switch it off)."""
    _require(bool(is_supervisor(actor, organization)), _("您无权设置预警规则。"))
    with transaction.atomic():
        rule, created = WarningRule.objects.update_or_create(
            organization=organization, kind=kind, level=level, defaults={"days": days, "is_active": is_active}
        )
        log_activity(
            actor=actor,
            action="warning_rule.create" if created else "warning_rule.change",
            target=rule,
            organization=organization,
            params={"kind": as_choice(rule, "kind"), "days": days, "level": as_choice(rule, "level")},
            after={"days": days, "is_active": is_active},
        )
    return rule


def accountability_record(
    *,
    organization: Organization,
    date: datetime.date,
    measure: str,
    reason: str,
    actor: User,
    project: Project | None = None,
    person: User | None = None,
) -> AccountabilityRecord:
    _require(bool(is_supervisor(actor, organization)), _("您无权对该组织问责。"))
    if project is not None and project.organization_id != organization.pk:
        raise ValidationError({"project": _("所选项目不属于被问责组织。")})
    if person is not None and not selectors.accountable_people(organization, project).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("被问责人须在被问责组织（或相关项目所在组织）中担任职务。")})
    with transaction.atomic():
        record = AccountabilityRecord.objects.create(
            organization=organization,
            project=project,
            person=person,
            date=date,
            measure=measure,
            reason=reason,
            recorded_by=actor,
        )
        log_activity(
            actor=actor,
            action="accountability.record",
            target=record,
            params={"measure": as_choice(record, "measure"), "note": reason[:300]},
        )
        if project is not None:
            log_activity(
                actor=actor,
                action="accountability.record",
                target=project,
                params={"measure": as_choice(record, "measure")},
            )
    return record


def rules_copy(*, source: Organization, target: Organization, actor: User) -> list[WarningRule]:
    """A new committee's own copies of another committee's warning rules (a district's defaults for a town
    it creates), switched on or off as they are; the target's to change afterwards."""
    with transaction.atomic():
        return [
            rule_save(
                organization=target,
                kind=rule.kind,
                level=rule.level,
                days=rule.days,
                is_active=rule.is_active,
                actor=actor,
            )
            for rule in WarningRule.objects.filter(organization=source).order_by("kind", "level", "id")
        ]
