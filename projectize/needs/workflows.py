"""A need's one transition table: received, accepted or declined, linked to a target, resolved; merged and back."""

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projectize.core.workflow import Transition, Workflow
from projectize.needs import selectors, steps
from projectize.needs.models import Need, NeedStatus
from projectize.orgs.permissions import is_town_staff

Status = NeedStatus


def _on_page(anchor: str) -> Callable[[Need], str]:
    def url(need: Need) -> str:
        return reverse("needs:detail", args=[need.pk]) + anchor

    return url


NEED = Workflow(
    Need,
    NeedStatus,
    [
        Transition(
            "accept",
            _("受理"),
            (Status.RECEIVED,),
            Status.ACCEPTED,
            allowed=is_town_staff,
            effect=steps.record_update,
            notify=steps.reporters,
            hint=_("核实后受理，或说明理由不予采纳；如与已有需求重复，请合并。"),
        ),
        Transition(
            "decline",
            _("不予采纳"),
            (Status.RECEIVED, Status.ACCEPTED),
            Status.DECLINED,
            allowed=is_town_staff,
            effect=steps.record_update,
            notify=steps.reporters,
            requires_note=True,
            style="secondary",
            confirm=_("不予采纳后需求即告办结，居民在查询页面看到理由；此操作不能撤销。"),
        ),
        Transition(
            # The target is chosen in the step's form (its service: programmes.services.need_link_target).
            "plan",
            _("关联标的"),
            (Status.RECEIVED, Status.ACCEPTED, Status.PLANNED),
            Status.PLANNED,
            allowed=is_town_staff,
            notify=steps.reporters,
            form_url=_on_page("#link-target"),
        ),
        Transition(
            # The need merged into is chosen in the step's form (services.need_merge).
            "merge",
            _("合并"),
            (Status.RECEIVED, Status.ACCEPTED, Status.PLANNED),
            Status.MERGED,
            allowed=is_town_staff,
            form_url=_on_page("#merge"),
            style="outline-secondary",
        ),
        Transition(
            "unmerge",
            _("撤销合并"),
            (Status.MERGED,),
            Status.ACCEPTED,
            allowed=is_town_staff,
            effect=steps.unmerge,
            notify=steps.reporters,
            requires_note=True,
            style="secondary",
            confirm=_("撤销合并后两条需求分开办理，合并时转入的支持退回本需求；两条需求的查询页面都会写明。"),
        ),
        Transition(
            "resolve",
            _("标记为已解决"),
            (Status.PLANNED, Status.ACCEPTED),
            Status.RESOLVED,
            allowed=is_town_staff,
            effect=steps.record_update,
            notify=steps.reporters,
            style="success",
            confirm=_("标记后需求即告办结，居民在查询页面看到“已解决”；此操作不能撤销。"),
        ),
    ],
    scope=selectors.needs_in_scope,
    waiting={
        Status.RECEIVED: _("需求已收到，等待镇党委受理。"),
        Status.ACCEPTED: _("已受理：下一步把需求关联到能解决它的标的。"),
        Status.PLANNED: _("已纳入标的：项目办结后标记为已解决。"),
        Status.MERGED: steps.merged_waiting,
        Status.DECLINED: _("本需求已办结（不予采纳）。"),
        Status.RESOLVED: _("本需求已办结。"),
    },
)
