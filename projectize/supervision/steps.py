"""What the steps of a feedback letter and its items check, change and tell (the tables are in workflows.py)."""

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projectize.core.workflow import NextStep, workflow_for
from projectize.orgs.models import Organization, User
from projectize.supervision import rules, selectors
from projectize.supervision.models import ItemStatus, Letter, LetterItem, LetterStatus

# --- The letter ----------------------------------------------------------------------------------


def may_issue(user: User, letter: Letter) -> bool:
    return bool(rules.is_supervisor(user, letter))


def is_addressee(user: User, letter: Letter) -> bool:
    return bool(rules.is_letter_addressee(user, letter))


def has_items(letter: Letter) -> str | None:
    return None if letter.items.exists() else _("请至少列出一个问题后再发出。")


def number_and_date(letter: Letter, actor: User, note: str) -> None:
    """Give the letter being sent the next number of its issuer, prefix and year, and today's date.

    The letter is locked by the step; the issuer row is locked too, so two letters sent at once cannot
    take the same number.
    """
    Organization.objects.select_for_update().filter(pk=letter.issuer_id).first()
    today = timezone.localdate()
    last = Letter.objects.filter(issuer_id=letter.issuer_id, prefix=letter.prefix, year=today.year).aggregate(
        last=Max("serial")
    )["last"]
    letter.year = today.year
    letter.serial = (last or 0) + 1
    letter.issued_on = today


def acknowledge(letter: Letter, actor: User, note: str) -> None:
    letter.acknowledged_at = timezone.now()
    letter.acknowledged_by = actor


def all_items_accepted(letter: Letter) -> str | None:
    if letter.items.exclude(status__in=ItemStatus.group("done")).exists():
        return _("还有未通过核查的整改事项，不能办结。")
    return None


def may_close(user: User, letter: Letter) -> bool:
    # Offered only once every item has passed; the item that passes last closes the letter itself.
    return may_issue(user, letter) and all_items_accepted(letter) is None


def addressees(letter: Letter) -> list[User]:
    return selectors.letter_recipients(letter)


def issuer_staff(letter: Letter) -> list[User]:
    return [letter.created_by]


def while_answering(user: User, letter: Letter) -> NextStep | None:
    """What each side is told while the addressed organization answers the items and staff verify them."""
    if is_addressee(user, letter):
        to_answer = letter.items.filter(status__in=ItemStatus.group("to_answer")).count()
        if to_answer:
            text = ngettext(
                "还有 %(n)s 项待回复：请逐条回复整改措施及成效，并上传佐证材料。",
                "还有 %(n)s 项待回复：请逐条回复整改措施及成效，并上传佐证材料。",
                to_answer,
            ) % {"n": to_answer}
            return NextStep(text)
        return NextStep(_("已全部回复，等待镇党委核查。"), tone="info")
    if may_issue(user, letter):
        return NextStep(_("受函组织回复后，请逐条核查：通过或退回重改。全部通过后函件自动办结。"))
    return None


# --- Its items -----------------------------------------------------------------------------------


def answerable(item: LetterItem) -> str | None:
    if item.letter.status not in LetterStatus.group("answerable"):
        return _("请先签收函件，再逐条回复。")
    return None


def item_addressee(user: User, item: LetterItem) -> bool:
    return is_addressee(user, item.letter)


def item_verifier(user: User, item: LetterItem) -> bool:
    return may_issue(user, item.letter)


def verified(item: LetterItem, actor: User, note: str) -> None:
    item.verified_by = actor
    item.verified_at = timezone.now()
    item.verify_note = note


def accepted(item: LetterItem, actor: User, note: str) -> None:
    """The item passes; once every item of its letter has passed, the letter closes (its own step)."""
    verified(item, actor, note)
    item.save()
    letter = item.letter
    if all_items_accepted(letter) is None:
        workflow_for(letter).apply(letter, "close", actor=actor, note=_("全部整改事项已通过核查，函件办结。"))


def tell_addressees(item: LetterItem) -> list[User]:
    return addressees(item.letter)


def tell_issuer(item: LetterItem) -> list[User]:
    return [item.letter.created_by]


def answer_url(item: LetterItem) -> str:
    return reverse("supervision:item_answer", args=[item.pk])
