"""A target's one transition table, from draft to awarded or closed.

Publishing and closing are the target's own; starting the selection, re-publishing, the notice, reconsidering
and the award also depend on the claims made on it: the claims app adds its part of those steps (a guard and an
effect) through `programmes.claiming`, so the same buttons, checks and log serve every page.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projectize.core.workflow import Transition, Workflow
from projectize.orgs.permissions import is_town_staff
from projectize.programmes import claiming, selectors, steps
from projectize.programmes.models import Target, TargetStatus

Status = TargetStatus


def _republish_form(target: Target) -> str:
    return reverse("programmes:target", args=[target.pk]) + "#republish"


TARGET = Workflow(
    Target,
    TargetStatus,
    [
        Transition(
            name="publish",
            label=_("发布标的"),
            sources=(Status.DRAFT,),
            target=Status.PUBLISHED,
            allowed=is_town_staff,
            guard=steps.deadline_ahead,
            effect=steps.stamp_published,
            confirm=_("发布后标的在公开网站展示，各单位可以认领；发布后不能再修改内容。"),
            hint=_("核对内容、关联需求后发布，发布后公众可见、单位可认领。"),
        ),
        Transition(
            name="start_selection",
            label=_("开始综合考量"),
            sources=(Status.PUBLISHED,),
            target=Status.SELECTING,
            allowed=is_town_staff,
            guard=claiming.guard("start_selection", steps.claiming_over),
            effect=claiming.effect("start_selection"),
            hint=_("认领已截止。下一步：开始综合考量。"),
        ),
        Transition(
            name="republish",
            label=_("重新发布"),
            sources=(Status.PUBLISHED,),
            target=Status.PUBLISHED,
            allowed=is_town_staff,
            guard=claiming.guard("republish", steps.claiming_over),
            effect=claiming.effect("republish"),
            # The new deadline is the form's input.
            form_url=_republish_form,
            hint=_("认领已截止，无人认领：可以定新的截止时间重新发布，或关闭该标的。"),
        ),
        Transition(
            name="close",
            label=_("关闭标的"),
            sources=(Status.DRAFT, Status.PUBLISHED),
            target=Status.CLOSED,
            allowed=is_town_staff,
            guard=claiming.guard("close", steps.closable),
            effect=claiming.effect("close", steps.keep_reason),
            requires_note=True,
            style="danger",
            confirm=_("关闭后标的不再接受认领，也不能重新发布；理由会记入操作记录。"),
        ),
        Transition(
            name="notice",
            label=_("公示认领结果"),
            sources=(Status.SELECTING,),
            target=Status.NOTICE,
            allowed=is_town_staff,
            guard=claiming.guard("notice"),
            effect=claiming.effect("notice", steps.open_notice),
            confirm=_("选定结果将在公开网站公示，公示期内任何人可以提出异议；公示后不能再改变选定。"),
            hint=_("每家单位都已决定。下一步：公示认领结果。"),
        ),
        Transition(
            name="reconsider",
            label=pgettext_lazy("标的步骤", "重新综合考量"),
            sources=(Status.NOTICE,),
            target=Status.SELECTING,
            allowed=is_town_staff,
            guard=claiming.guard("reconsider"),
            effect=claiming.effect("reconsider", steps.end_notice),
            requires_note=True,
            style="secondary",
            confirm=_("公示中止，各单位的选定结果撤销，重新综合考量；认领单位将收到通知和理由。"),
        ),
        Transition(
            name="award",
            label=_("确定授予并立项"),
            sources=(Status.NOTICE,),
            target=Status.AWARDED,
            allowed=is_town_staff,
            guard=claiming.guard("award", steps.notice_over),
            effect=claiming.effect("award"),
            confirm=_("选定的单位将承接这个标的，系统为牵头单位立项并通知各单位；此操作不能撤销。"),
            hint=_("公示期满，下一步：确定授予并立项。"),
        ),
    ],
    scope=selectors.targets_for,
    waiting={
        Status.DRAFT: _("标的尚未发布。"),
        Status.PUBLISHED: _("认领进行中，截止后开始综合考量。"),
        Status.SELECTING: _("综合考量中：请专家评分后，对每家单位选定或说明不选的理由。"),
        Status.NOTICE: _("认领结果公示中：公示期满、异议均已答复后确定授予并立项。"),
    },
)
