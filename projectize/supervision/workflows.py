"""The transition tables of a feedback letter (信函式反馈) and of each of its items.

A letter is drafted by staff, sent (numbered and dated), acknowledged by the addressed organization, and
closed when the last of its items passes verification. Each item is answered by the organization, then
accepted or returned by staff.
"""

from django.utils.translation import gettext_lazy as _

from projectize.core.workflow import Transition, Workflow
from projectize.supervision import selectors, steps
from projectize.supervision.models import ItemStatus, Letter, LetterItem, LetterStatus

DRAFTING = _(
    "下一步：逐条列出问题、整改要求和期限，然后发出函件（发出时自动编号，并以通知和邮件送达受函组织和项目责任人）。"
)

LETTER = Workflow(
    Letter,
    LetterStatus,
    [
        Transition(
            name="send",
            label=_("发出函件"),
            sources=(LetterStatus.DRAFT,),
            target=LetterStatus.SENT,
            allowed=steps.may_issue,
            guard=steps.has_items,
            effect=steps.number_and_date,
            notify=steps.addressees,
            confirm=_("发出后函件按年度编号、注明发函日期，不能再修改；受函组织和项目责任人将收到通知。"),
            hint=DRAFTING,
        ),
        Transition(
            name="acknowledge",
            label=_("签收"),
            sources=(LetterStatus.SENT,),
            target=LetterStatus.ACKNOWLEDGED,
            allowed=steps.is_addressee,
            effect=steps.acknowledge,
            notify=steps.issuer_staff,
            hint=_("请先签收本函，然后逐条回复整改情况。"),
        ),
        Transition(
            name="close",
            label=_("办结"),
            sources=(LetterStatus.ACKNOWLEDGED,),
            target=LetterStatus.CLOSED,
            allowed=steps.may_close,
            guard=steps.all_items_accepted,
            notify=steps.addressees,
            confirm=_("办结后函件归档，不能再回复或核查；受函组织和项目责任人将收到通知。"),
        ),
    ],
    scope=selectors.letters_visible_to,
    waiting={
        # Only staff see a draft: until it has an item, the send step's guard holds its hint back.
        LetterStatus.DRAFT: DRAFTING,
        LetterStatus.SENT: _("已发出，等待受函组织签收。"),
        LetterStatus.ACKNOWLEDGED: steps.while_answering,
    },
)

LETTER_ITEM = Workflow(
    LetterItem,
    ItemStatus,
    [
        Transition(
            name="answer",
            label=_("回复整改情况"),
            sources=(ItemStatus.OPEN, ItemStatus.RETURNED),
            target=ItemStatus.ANSWERED,
            allowed=steps.item_addressee,
            guard=steps.answerable,
            notify=steps.tell_issuer,
            form_url=steps.answer_url,
        ),
        Transition(
            name="accept",
            label=_("核查通过"),
            sources=(ItemStatus.ANSWERED,),
            target=ItemStatus.ACCEPTED,
            allowed=steps.item_verifier,
            effect=steps.accepted,
            notify=steps.tell_addressees,
            confirm=_("核查通过后该项整改即告完成；全部事项通过时函件自动办结。"),
        ),
        Transition(
            name="return",
            label=_("退回重改"),
            sources=(ItemStatus.ANSWERED,),
            target=ItemStatus.RETURNED,
            allowed=steps.item_verifier,
            effect=steps.verified,
            notify=steps.tell_addressees,
            requires_note=True,
            style="danger",
            confirm=_("退回后受函组织须按理由重新整改并再次回复此项。"),
        ),
    ],
    scope=selectors.items_visible_to,
)
