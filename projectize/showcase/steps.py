"""Guards and effects of the showcase's steps (`workflows.SHOWCASE`): judging opens the jury's reviews,
ranking closes them and combines jury and public scores, awarding gives the levels down the ranking."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.core.activity import as_choice
from projectize.core.services import log_activity
from projectize.core.workflow import TransitionError
from projectize.funds import services as funds
from projectize.orgs.models import User
from projectize.reviews import selectors as review_selectors
from projectize.reviews import services as review_services
from projectize.showcase.models import LEVEL_ORDER, Award, Nomination, Showcase
from projectize.showcase.selectors import nominations_without_scores

TWO_PLACES = Decimal("0.01")


# --- Guards ------------------------------------------------------------------------------------


def judging_problem(showcase: Showcase) -> str | None:
    if not showcase.nominations.exists():
        return _("还没有任何推荐项目，不能结束推荐。")
    if showcase.rubric_id is None or not showcase.jury.exists():
        return _("请先在展评设置中选择评审量表和评委。")
    return None


def jury_problem(showcase: Showcase) -> str | None:
    missing = nominations_without_scores(showcase)
    if missing:
        return _("还有 %(n)d 个项目没有评委评分，请先完成评审。") % {"n": missing}
    return None


def levels_problem(showcase: Showcase) -> str | None:
    if not showcase.levels.filter(count__gt=0).exists():
        return _("请先设置奖项等级及名额。")
    return None


# --- Effects -----------------------------------------------------------------------------------


def open_jury_reviews(showcase: Showcase, actor: User, note: str) -> None:
    """Give every juror a scoring task for every nomination, on the showcase's rubric."""
    assert showcase.rubric is not None
    jury = list(showcase.jury.all())
    for nomination in showcase.nominations.select_related("project"):
        try:
            review_services.review_open(
                subject=nomination,
                rubric=showcase.rubric,
                reviewers=jury,
                actor=actor,
                deadline=timezone.localdate(showcase.voting_closes),
            )
        except ValidationError as error:
            raise TransitionError(" ".join(error.messages)) from None


def rank(showcase: Showcase, actor: User, note: str) -> None:
    """Close the jury's reviews, then combine the jury score (0–100) and the public part (votes relative
    to the most-voted, 0–100) by the showcase's weights. Ties go to the higher jury score."""
    _jury_scores(showcase, actor)
    nominations = list(
        showcase.nominations.annotate(valid_votes=Count("votes", filter=Q(votes__voided=False))).order_by("id")
    )
    top = max((n.valid_votes for n in nominations), default=0)
    jury_weight = Decimal(showcase.jury_weight) / 100
    public_weight = Decimal(showcase.public_weight) / 100
    for nomination in nominations:
        public = Decimal(100) * nomination.valid_votes / top if top else Decimal(0)
        jury = nomination.jury_score or Decimal(0)
        nomination.vote_count = nomination.valid_votes
        nomination.final_score = (jury * jury_weight + public * public_weight).quantize(TWO_PLACES, ROUND_HALF_UP)
    nominations.sort(key=lambda n: (-(n.final_score or 0), -(n.jury_score or 0), n.pk))
    for position, nomination in enumerate(nominations, start=1):
        nomination.rank = position
    Nomination.objects.bulk_update(nominations, ["vote_count", "final_score", "rank"])


def _jury_scores(showcase: Showcase, actor: User) -> None:
    """Close the jury's reviews and keep each nomination's aggregate on a 0–100 scale."""
    assert showcase.rubric is not None
    nominations = list(showcase.nominations.all())
    ids = [n.pk for n in nominations]
    for review in review_selectors.open_reviews(rubric=showcase.rubric, model=Nomination, ids=ids):
        review_services.review_close(review=review, actor=actor)
    totals = {
        row.review.subject_id: row.total
        for row in review_selectors.ranking(rubric=showcase.rubric, subjects=nominations)
        if row.total is not None
    }
    scale = Decimal(100) / showcase.rubric.total
    for nomination in nominations:
        total = totals.get(nomination.pk)
        nomination.jury_score = (total * scale).quantize(TWO_PLACES, ROUND_HALF_UP) if total is not None else None
    Nomination.objects.bulk_update(nominations, ["jury_score"])


def give_awards(showcase: Showcase, actor: User, note: str) -> None:
    """Give the levels down the ranking, each with its reward-fund entry. Without a reward budget, or with
    too little left, the step is refused and nothing is awarded."""
    try:
        _awards(showcase, actor)
    except ValidationError as error:
        raise TransitionError(" ".join(error.messages)) from None


def _awards(showcase: Showcase, actor: User) -> list[Award]:
    levels = {level.level: level for level in showcase.levels.all()}
    queue = iter(showcase.nominations.filter(rank__isnull=False).select_related("project", "organization"))
    awards = []
    for kind in LEVEL_ORDER:
        level = levels.get(kind)
        if level is None:
            continue
        for _slot in range(level.count):
            nomination = next(queue, None)
            if nomination is None:
                break
            award = Award.objects.create(
                nomination=nomination,
                level=kind,
                amount=level.reward_amount,
                certificate_no=f"{showcase.year}-QY-{nomination.rank:03d}",
            )
            award.fund_entry_id = _reward_fund_entry(award, actor)
            award.save(update_fields=["fund_entry_id"])
            log_activity(actor=actor, action="award.create", target=award, params={"level": as_choice(award, "level")})
            awards.append(award)
    return awards


def _reward_fund_entry(award: Award, actor: User) -> int | None:
    """The reward fund pays the award; an award without money makes no ledger entry."""
    if award.amount <= 0:
        return None
    showcase = award.nomination.showcase
    entry = funds.reward_award_create(
        actor=actor,
        project=award.nomination.project,
        committee=showcase.organization,
        amount=award.amount,
        year=showcase.year,
        reason=_("%(year)d 年七一展评%(level)s") % {"year": showcase.year, "level": award.get_level_display()},
    )
    return int(entry.pk)


def stamp_published(showcase: Showcase, actor: User, note: str) -> None:
    showcase.published_at = timezone.now()
