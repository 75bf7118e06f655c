"""The showcase's one table: from setup through nominations, the jury's and the public's scores, to the
published commendation list."""

from django.utils.translation import gettext_lazy as _

from projectize.core.workflow import Transition, Workflow
from projectize.showcase import rules, selectors, steps
from projectize.showcase.models import Showcase, ShowcaseStatus

Status = ShowcaseStatus


SHOWCASE = Workflow(
    Showcase,
    ShowcaseStatus,
    [
        Transition(
            "open_nominations",
            _("开始推荐"),
            (Status.DRAFT,),
            Status.NOMINATING,
            rules.is_staff_of_showcase,
            hint=_("下一步：核对推荐期、投票期和奖项设置，然后“开始推荐”。"),
        ),
        Transition(
            "start_judging",
            _("结束推荐，开始评审和投票"),
            (Status.NOMINATING,),
            Status.JUDGING,
            rules.is_staff_of_showcase,
            guard=steps.judging_problem,
            effect=steps.open_jury_reviews,
            confirm=_("结束后不能再推荐项目；每位评委收到每个推荐项目的评分任务，群众投票按设定时间开放。"),
            hint=_("推荐期结束后“结束推荐，开始评审和投票”：每位评委收到每个推荐项目的评分任务。"),
        ),
        Transition(
            "rank",
            _("结束评审和投票，计算排名"),
            (Status.JUDGING,),
            Status.RANKED,
            rules.is_staff_of_showcase,
            guard=steps.jury_problem,
            effect=steps.rank,
            confirm=_("结束后评委不能再评分、群众不能再投票，按权重计算排名；此操作不能撤销。"),
            hint=_(
                "评委在“我的评审”中按评审量表为每个项目评分，群众在公众页面投票。评分完成后“计算排名”：评审随之结束，投票随之截止。"
            ),
        ),
        Transition(
            "award",
            _("按排名评定奖项"),
            (Status.RANKED,),
            Status.AWARDED,
            rules.is_staff_of_showcase,
            guard=steps.levels_problem,
            effect=steps.give_awards,
            confirm=_("按排名和各等级名额评定奖项，有奖金的奖项从奖励经费中列支；此操作不能撤销。"),
            hint=_("核对排名后“按排名评定奖项”：各等级奖励将记入专项奖励经费。"),
        ),
        Transition(
            "publish",
            _("发布表彰名单"),
            (Status.AWARDED,),
            Status.PUBLISHED,
            rules.is_staff_of_showcase,
            effect=steps.stamp_published,
            confirm=_("发布后表彰名单在公开网站的七一展评页面公布，所有人都能看到；此操作不能撤销。"),
            hint=_("下载荣誉证书，核对无误后“发布表彰名单”。"),
        ),
    ],
    scope=selectors.showcases_visible_to,
    waiting={
        Status.DRAFT: _("主办党委正在筹备本次展评。"),
        Status.NOMINATING: _("各组织在推荐期内推荐本组织的项目；推荐结束后开始评委评审和群众投票。"),
        Status.JUDGING: _("评委按评审量表为每个项目评分，群众在公众页面投票；评分完成后计算排名。"),
        Status.RANKED: _("排名已计算，等待主办党委评定奖项。"),
        Status.AWARDED: _("奖项已评定，等待主办党委发布表彰名单。"),
        Status.PUBLISHED: _("表彰名单已发布。"),
    },
)
