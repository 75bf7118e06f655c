"""What the activity log and notifications say, worded when read, in the reader's language.

A log entry or notification stores a code ("budget.create") and its parameters, never a sentence:
the sentence is taken from the registry below and filled in when the page is shown, so a reader
of the English pages reads English whoever acted. A parameter that is itself worded (a status,
an amount, a date) is stored tagged, with the helpers `as_money`, `as_choice`, `as_phrase` and
`as_date`, and worded with the sentence. Free text people typed (a reason, a note) is stored as
the parameter "note" and shown beneath the sentence as it was typed.
"""

import contextlib
import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projectize.core.money import format_money

SUSPECTED_VOTES = _("“%(project)s”在 %(minutes)s 分钟内从同一地址收到 %(count)s 票，已标记为疑似刷票，请核查。")


@dataclass(frozen=True)
class Wording:
    # The action's name: the activity log's "操作" column and a timeline line without a sentence.
    label: Any
    # A sentence with named placeholders filled from the entry's parameters.
    sentence: Any = None


# Codes of steps declared in a `Workflow` ("project.approve") are worded by the step's own label.
ACTIONS: dict[str, Wording] = {
    "attachment.add": Wording(_("上传附件"), _("上传附件：%(names)s")),
    "activity.archive": Wording(
        _("归档操作日志"), _("%(before)s 之前的 %(count)s 条操作日志已移入归档文件 %(file)s（SHA-256 %(sha256)s）")
    ),
    # funds
    "budget.create": Wording(_("设立预算"), _("设立预算 %(amount)s")),
    "budget.revise": Wording(_("调整预算"), _("预算调整为 %(amount)s")),
    "allocation.create": Wording(_("分配专项管理经费"), _("分配专项管理经费 %(amount)s")),
    "allocation.reverse": Wording(_("冲销经费分配"), _("冲销经费分配 %(amount)s")),
    "reward.create": Wording(_("发放专项奖励经费"), _("获专项奖励经费 %(amount)s")),
    "disbursement.request": Wording(_("申请经费支出"), _("申请经费支出 %(amount)s：%(purpose)s")),
    "disbursement.reverse": Wording(_("冲销经费支出"), _("冲销经费支出 %(amount)s")),
    "tier.create": Wording(_("新建支持档次"), _("新建支持档次“%(name)s”，最高 %(max_amount)s")),
    "tier.change": Wording(_("修改支持档次"), _("支持档次“%(name)s”改为最高 %(max_amount)s")),
    # projects
    "call.create": Wording(_("发布年度申报"), _("发布年度申报：%(title)s")),
    "call.update": Wording(_("修改年度申报"), _("修改年度申报：%(title)s")),
    "project.create": Wording(_("创建申报草稿")),
    "project.update": Wording(_("修改申报内容")),
    "project.create_from_claim": Wording(_("认领立项")),
    "project.import": Wording(_("导入历史项目"), _("导入 %(year)s 年项目（%(status)s）")),
    "project.discussed": Wording(_("研究讨论"), _("%(meeting)s：%(outcome)s")),
    "discussion.create": Wording(_("记录研究讨论"), _("记录研究讨论：%(title)s")),
    "project.five_fixed": Wording(_("填写五定信息")),
    "project.report_schedule": Wording(_("设置进展报告周期"), _("进展报告周期设为 %(days)s 天")),
    "project.change_request": Wording(_("申请调整"), _("申请%(kind)s")),
    "project.change": Wording(_("批准调整"), _("批准调整：%(kind)s")),
    "acceptance.record": Wording(_("记录验收情况")),
    "survey.answer": Wording(_("居民填写满意度问卷")),
    "acceptance.conclude": Wording(_("作出验收结论"), _("验收结论：%(conclusion)s，总分 %(total)s，等级 %(grade)s")),
    "project.promote": Wording(_("列为推广项目")),
    "project.promotion_update": Wording(_("修改经验总结")),
    "project.adopted": Wording(_("采纳项目经验"), _("%(organization)s 采纳了本项目经验")),
    # supervision
    "activity.create": Wording(_("记录督查活动"), _("记录督查活动：%(activity)s")),
    "finding.add": Wording(_("记录督查发现"), _("记录督查发现：%(project)s")),
    "project.finding": Wording(_("督查发现"), _("%(kind)s发现")),
    "analysis.create": Wording(_("手术式剖析")),
    "guidance.create": Wording(_("指导意见")),
    "letter.create": Wording(_("起草函件"), _("起草函件：%(title)s")),
    "letter.item_add": Wording(_("添加问题"), _("添加第 %(number)s 项问题：%(problem)s")),
    "warning.raise": Wording(_("发出预警"), _("%(level)s：%(message)s")),
    "warning_rule.create": Wording(_("新建预警规则"), _("新建预警规则：%(kind)s 超过 %(days)s 天，%(level)s")),
    "warning_rule.change": Wording(_("修改预警规则"), _("修改预警规则：%(kind)s 超过 %(days)s 天，%(level)s")),
    "accountability.record": Wording(_("记录问责"), _("记录问责：%(measure)s")),
    "followup.remind": Wording(_("催办"), _("催办：%(item)s 逾期 %(days)s 天")),
    "followup.record": Wording(_("记录督办"), _("督办：%(item)s 逾期 %(days)s 天")),
    # reviews
    "rubric.create": Wording(_("新建评分标准")),
    "rubric.update": Wording(_("修改评分标准")),
    "rubric.activate": Wording(_("启用评分标准")),
    "rubric.retire": Wording(_("停用评分标准")),
    "review.open": Wording(_("发起评审"), _("发起评审（%(rubric)s），评审专家 %(count)s 位")),
    "review.add_reviewers": Wording(_("增加评审专家"), _("增加评审专家 %(count)s 位")),
    # orgs
    "organization.create": Wording(_("新建组织")),
    "organization.update": Wording(_("修改组织信息")),
    "organization.move": Wording(_("调整上级组织")),
    "organization.archive": Wording(_("归档组织"), _("归档组织（含 %(count)s 个组织）")),
    "organization.restore": Wording(_("恢复组织"), _("恢复组织（含 %(count)s 个组织）")),
    "organization.import": Wording(_("导入组织"), _("Excel 导入 %(count)s 个组织")),
    "user.create": Wording(_("新建用户")),
    "user.update": Wording(_("修改用户信息")),
    "user.set_password": Wording(_("管理员重设密码")),
    "user.change_password": Wording(_("修改本人密码")),
    "user.totp_enable": Wording(_("开启两步验证")),
    "user.totp_reset": Wording(_("重置两步验证")),
    "role.grant": Wording(_("授予角色")),
    "role.revoke": Wording(_("撤销角色")),
    # programmes and claims
    "programme.create": Wording(_("新建品牌项目"), _("新建品牌项目：%(name)s")),
    "programme.update": Wording(_("修改品牌项目"), _("修改品牌项目：%(name)s")),
    "section.create": Wording(_("新建板块"), _("新建板块：%(name)s")),
    "section.update": Wording(_("修改板块"), _("修改板块：%(name)s")),
    "target.create": Wording(_("新建标的"), _("新建标的：%(name)s")),
    "target.update": Wording(_("修改标的"), _("修改标的：%(name)s")),
    # (A target's, a claim's and an objection's steps are worded by their tables' labels.)
    "claim.create": Wording(_("保存认领草稿")),
    "claim.update": Wording(_("修改认领草稿")),
    "claim.amend": Wording(_("修改已提交的认领")),
    "objection.lodge": Wording(_("收到异议")),
    # needs
    "need.create": Wording(_("登记需求"), _("登记需求（%(channel)s）")),
    "need.reply": Wording(_("答复需求")),
    "need.absorb": Wording(_("并入需求"), _("并入《%(title)s》，转入附议 %(count)s 条")),
    "need.project": Wording(_("纳入项目"), _("纳入项目：%(project)s")),
    "need.release": Wording(_("撤销并入需求"), _("撤销并入《%(title)s》，退回附议 %(count)s 条")),
    "need.support": Wording(_("附议")),
    "need.unsupport": Wording(_("撤回附议")),
    "need.not_duplicate": Wording(_("标记不是重复"), _("与《%(title)s》不是重复")),
    "need_category.save": Wording(_("保存需求类别"), _("保存需求类别：%(name)s")),
    # showcase
    "showcase.create": Wording(_("创建七一展评"), _("创建七一展评：%(year)s %(theme)s")),
    "showcase.update": Wording(_("修改七一展评"), _("修改七一展评：%(year)s %(theme)s")),
    "nomination.create": Wording(_("推荐参加展评"), _("推荐参加展评：%(showcase)s")),
    "vote.flag": Wording(_("疑似刷票提醒"), SUSPECTED_VOTES),
    "vote.void": Wording(_("作废选票"), _("作废疑似刷票 %(count)s 张")),
    "vote.clear": Wording(_("确认选票有效"), _("核查后确认有效")),
    "award.create": Wording(_("评定奖项"), _("评定奖项：%(level)s")),
}


@dataclass(frozen=True)
class Notice:
    title: Any
    body: Any = None


NOTICES: dict[str, Notice] = {
    # Any workflow step: the object and the step's label ("step" is an action code).
    "workflow.step": Notice(_("%(object)s：%(step)s")),
    "disbursement.pending": Notice(_("经费支出待审批：%(purpose)s %(amount)s")),
    "claim.new": Notice(_("新的认领：%(claim)s")),
    "claim.notice": Notice(_("认领结果公示：%(target)s"), _("公示期至 %(end)s，期满无异议后正式确定。")),
    "claim.reconsider": Notice(_("认领结果因异议成立重新考量：%(target)s")),
    "claim.won": Notice(_("认领成功：%(target)s"), _("已立项为 %(project)s，请完善五定信息。")),
    "claim.lost": Notice(_("认领未选中：%(target)s"), _("未选中的理由：%(reason)s")),
    "objection.new": Notice(_("收到异议：%(target)s")),
    "need.merged": Notice(_("需求已合并：%(title)s"), _("您报送的需求与其他相同需求合并办理。")),
    "analysis.new": Notice(_("项目剖析意见：%(project)s")),
    "guidance.new": Notice(_("指导意见：%(project)s")),
    "warning.new": Notice(_("%(level)s：%(message)s")),
    "followup.remind": Notice(
        _("催办：%(project)s 的%(item)s已逾期 %(days)s 天"), _("请尽快办理，并在系统中提交或说明情况。")
    ),
    "review.invite": Notice(_("待您评审：%(subject)s"), _("请先承诺无利益冲突，再查看材料并评分。")),
    "review.declined": Notice(_("评审专家谢绝评审：%(subject)s")),
    "review.scored": Notice(_("评分已全部提交：%(subject)s")),
    "vote.flagged": Notice(_("疑似刷票提醒"), SUSPECTED_VOTES),
}


# What a resident reads on a need's tracking page for a step nobody typed a reply to (`NeedUpdate.verb`).
NEED_UPDATES: dict[str, Any] = {
    "need.received": _("需求已收到，我们会尽快处理。"),
    "need.planned": _("已纳入标的《%(target)s》。"),
    "need.merged": _("您的需求与内容相同的需求《%(title)s》合并办理，此后的进展在本页一并显示。"),
    "need.absorbed": _("内容相同的需求《%(title)s》已并入本需求一并办理。"),
    "need.unmerged": _("需求《%(title)s》经核实与本需求不同，已撤销合并，分开办理。"),
    "need.project": _("标的《%(target)s》已由认领单位承接，立项为项目“%(project)s”。"),
}


# ---- parameters -------------------------------------------------------------------------------


def as_money(amount: Decimal | int | str) -> dict[str, str]:
    return {"money": str(amount)}


def as_choice(obj_or_model: Any, field: str, value: Any = None) -> dict[str, Any]:
    """A value of a field with choices, worded by its label; by default the object's own value."""
    meta = obj_or_model._meta
    if value is None:
        value = getattr(obj_or_model, field)
    return {"choice": f"{meta.app_label}.{meta.model_name}.{field}", "value": value}


def as_phrase(phrase: Promise, **params: Any) -> dict[str, Any]:
    """A phrase marked with gettext_lazy, stored by its source text and translated when read; its own
    placeholders are filled from `params` (stored as parameters are)."""
    with translation.override(settings.LANGUAGE_CODE):
        stored: dict[str, Any] = {"phrase": str(phrase)}
    return {**stored, "params": jsonable(params)} if params else stored


def as_date(value: datetime.date) -> dict[str, str]:
    """A date, or a moment (worded as the local date and time)."""
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    return {"date": value.isoformat()}


def as_action(code: str) -> dict[str, str]:
    return {"action": code}


def jsonable(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as stored: tagged values as they are, choices and dates tagged, the rest as text."""
    return {key: _stored(value) for key, value in params.items()}


def _stored(value: Any) -> Any:
    if isinstance(value, dict) or (
        isinstance(value, (bool, int, float, type(None))) and not isinstance(value, enum.Enum)
    ):
        return value
    if isinstance(value, models.Choices):
        return {"enum": f"{type(value).__module__}.{type(value).__qualname__}", "value": value.value}
    if isinstance(value, Promise):
        return as_phrase(value)
    if isinstance(value, datetime.date):
        return as_date(value)
    return str(value)


def shown(value: Any) -> str:
    """A stored parameter in the reader's language; "—" stands for nothing."""
    if isinstance(value, dict):
        return _shown_tagged(value)
    if value is None or value in ("", "None"):
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    return str(value)


def _shown_tagged(value: dict[str, Any]) -> str:
    if "money" in value:
        return format_money(value["money"])
    if "phrase" in value:
        return _filled(gettext(value["phrase"]), value["params"]) if "params" in value else gettext(value["phrase"])
    if "action" in value:
        return str(label(value["action"]))
    if "date" in value:
        return formats.date_format(datetime.date.fromisoformat(value["date"]), "DATE_FORMAT")
    if "datetime" in value:
        moment = timezone.localtime(datetime.datetime.fromisoformat(value["datetime"]))
        return formats.date_format(moment, "DATETIME_FORMAT")
    if "enum" in value:
        try:
            return str(import_string(value["enum"])(value["value"]).label)
        except (ImportError, ValueError):
            return shown(value["value"])
    if "choice" in value:
        app_label, model_name, field = value["choice"].split(".")
        try:
            choices = dict(apps.get_model(app_label, model_name)._meta.get_field(field).flatchoices)
        except LookupError:
            choices = {}
        return str(choices.get(value["value"], shown(value["value"])))
    return str(value)


# Labels for change keys that are not fields of the logged object itself.
CHANGE_LABELS = {
    "parent": _("上级组织"),
    "role": _("角色"),
    "organization": _("组织"),
    "days": _("天数"),
    # A step on a review or a claim logged on the object reviewed, which may have no status of its own.
    "status": _("状态"),
}


def changes(entry: Any) -> list[tuple[str, str, str]]:
    """An entry's before/after as (label, before, after) rows; before is "" where nothing was before."""
    # get_for_id is served from ContentType's cache: no query per entry.
    model = ContentType.objects.get_for_id(entry.target_type_id).model_class() if entry.target_type_id else None
    rows = []
    for key in dict.fromkeys([*entry.before, *entry.after]):
        name: Any = CHANGE_LABELS.get(key, key)
        if model is not None and key not in CHANGE_LABELS:
            with contextlib.suppress(FieldDoesNotExist):
                name = getattr(model._meta.get_field(key), "verbose_name", key)
        before = shown(entry.before[key]) if key in entry.before else ""
        rows.append((str(name), before, shown(entry.after.get(key))))
    return rows


# ---- wording ----------------------------------------------------------------------------------


# Codes of workflow steps ("project.approve"), worded by the step's label: each table adds its own.
WORKFLOW_STEPS: dict[str, Wording] = {}


def register_steps(codes: dict[str, Any]) -> None:
    """Add a workflow's steps (code -> label) to the actions the log and notifications can word."""
    WORKFLOW_STEPS.update({code: Wording(label) for code, label in codes.items()})


def wording(code: str) -> Wording | None:
    return ACTIONS.get(code) or WORKFLOW_STEPS.get(code)


def action_choices() -> list[tuple[str, str]]:
    """Every action, by its name in the active language, for the activity log's filter."""
    codes = {**WORKFLOW_STEPS, **ACTIONS}
    return sorted(((code, str(found.label)) for code, found in codes.items()), key=lambda choice: choice[1])


def label(code: str) -> Any:
    """The action's name; a code nobody registered is shown as a generic "操作", never raw."""
    found = wording(code)
    return found.label if found is not None else _("操作")


def sentence(code: str, params: dict[str, Any]) -> str:
    found = wording(code)
    if found is None:
        return str(_("操作"))
    if found.sentence is None:
        return str(found.label)
    return _filled(found.sentence, params) or str(found.label)


def notice_text(code: str, params: dict[str, Any]) -> tuple[str, str]:
    """A notification's title and body in the active language."""
    notice = NOTICES.get(code)
    if notice is None:
        return str(_("通知")), params.get("note", "")
    body = _filled(notice.body, params) if notice.body is not None else ""
    note = params.get("note", "")
    return _filled(notice.title, params), "\n".join(text for text in (body, note) if text)


def need_update_text(code: str, params: dict[str, Any]) -> str:
    """A need update's sentence in the active language ("" for a code nobody registered)."""
    template = NEED_UPDATES.get(code)
    return _filled(template, params) if template is not None else ""


def _filled(template: Any, params: dict[str, Any]) -> str:
    try:
        return str(template) % {key: shown(value) for key, value in params.items()}
    except (KeyError, TypeError, ValueError):
        return ""
