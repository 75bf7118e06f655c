import datetime

import pytest
from django.utils import timezone

from projectize.showcase import services
from projectize.showcase.models import Nomination, ShowcaseStatus, Vote
from projectize.showcase.services import VoteRefused
from projectize.showcase.verification import voter_key
from projectize.showcase.workflows import SHOWCASE
from tests.showcase.factories import jury_scores, make_showcase, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def judging():
    world = make_world(3)
    showcase = make_showcase(world.admin, world.committee, jury=world.jurors)
    SHOWCASE.apply(showcase, "open_nominations", actor=world.admin)
    showcase.refresh_from_db()
    nominations = [
        services.nomination_create(
            actor=world.secretaries[n], showcase=showcase, project=world.projects[n], summary="简介", highlights="亮点"
        )
        for n in range(2)
    ]
    SHOWCASE.apply(showcase, "start_judging", actor=world.admin)
    showcase.refresh_from_db()
    return world, showcase, nominations


def test_it_counts_one_vote_per_person_per_project(judging):
    _world, showcase, (first, second) = judging
    services.vote_cast(showcase=showcase, nomination_id=first.pk, voter=voter_key("13900000001"), ip="10.0.0.1")
    services.vote_cast(showcase=showcase, nomination_id=second.pk, voter=voter_key("13900000001"), ip="10.0.0.1")
    with pytest.raises(VoteRefused, match="已为该项目投过票"):
        services.vote_cast(showcase=showcase, nomination_id=first.pk, voter=voter_key("13900000001"), ip="10.0.0.2")
    first.refresh_from_db()
    assert first.vote_count == 1
    assert Vote.objects.filter(nomination=first).count() == 1


def test_it_refuses_a_vote_outside_the_window(judging):
    _world, showcase, (first, _second) = judging
    showcase.voting_closes = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(VoteRefused, match="投票已结束"):
        services.vote_cast(showcase=showcase, nomination_id=first.pk, voter=voter_key("13900000001"), ip="10.0.0.1")
    showcase.voting_opens = timezone.now() + datetime.timedelta(days=1)
    showcase.voting_closes = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(VoteRefused, match="投票尚未开始"):
        services.vote_cast(showcase=showcase, nomination_id=first.pk, voter=voter_key("13900000001"), ip="10.0.0.1")
    assert not Vote.objects.exists()


def test_it_refuses_a_vote_once_judging_has_ended(judging):
    world, showcase, (first, second) = judging
    for nomination in (first, second):
        for juror in world.jurors:
            jury_scores(nomination, juror, 30, 30)
    SHOWCASE.apply(showcase, "rank", actor=world.admin)
    showcase.refresh_from_db()
    assert showcase.status == ShowcaseStatus.RANKED
    with pytest.raises(VoteRefused, match="投票已结束"):
        services.vote_cast(showcase=showcase, nomination_id=first.pk, voter=voter_key("13900000001"), ip="10.0.0.1")


def test_it_refuses_a_vote_for_a_project_not_in_the_showcase(judging):
    world, showcase, _nominations = judging
    other = make_showcase(world.admin, world.committee, year=2014)
    other.status = ShowcaseStatus.NOMINATING
    other.save()
    stranger = Nomination.objects.create(
        showcase=other, project=world.projects[2], organization=world.orgs[2], summary="s", highlights="h"
    )
    with pytest.raises(VoteRefused, match="不在本次展评中"):
        services.vote_cast(showcase=showcase, nomination_id=stranger.pk, voter=voter_key("13900000001"), ip="10.0.0.1")
    with pytest.raises(VoteRefused, match="不在本次展评中"):
        services.vote_cast(showcase=showcase, nomination_id=999999, voter=voter_key("13900000001"), ip="10.0.0.1")
    assert not Vote.objects.exists()


def test_it_rate_limits_votes_per_address(judging, settings):
    settings.SHOWCASE_VOTES_PER_ADDRESS_PER_HOUR = 3
    _world, showcase, (first, _second) = judging
    for n in range(3):
        services.vote_cast(showcase=showcase, nomination_id=first.pk, voter=voter_key(f"1390000000{n}"), ip="10.0.0.9")
    with pytest.raises(VoteRefused, match="过于频繁"):
        services.vote_cast(showcase=showcase, nomination_id=first.pk, voter=voter_key("13900000009"), ip="10.0.0.9")
    services.vote_cast(showcase=showcase, nomination_id=first.pk, voter=voter_key("13900000009"), ip="10.0.0.10")
    first.refresh_from_db()
    assert first.vote_count == 4


def test_it_flags_a_burst_for_staff_who_may_void_it(judging, settings):
    settings.SHOWCASE_BURST_VOTES = 3
    world, showcase, (first, second) = judging
    services.vote_cast(showcase=showcase, nomination_id=second.pk, voter=voter_key("13900000001"), ip="10.0.0.5")
    for n in range(4):
        services.vote_cast(showcase=showcase, nomination_id=first.pk, voter=voter_key(f"1380000000{n}"), ip="10.0.0.7")
    assert Vote.objects.filter(nomination=first, flagged=True).count() == 4
    assert not Vote.objects.filter(nomination=second, flagged=True).exists()
    assert world.admin.notifications.filter(verb="vote.flagged").count() == 1
    assert str(world.admin.notifications.get()) == "疑似刷票提醒"

    flagged = list(Vote.objects.filter(nomination=first, flagged=True).values_list("pk", flat=True))
    assert services.votes_void(actor=world.admin, nomination=first, vote_ids=flagged[:3]) == 3
    first.refresh_from_db()
    assert first.vote_count == 1
    assert Vote.objects.filter(nomination=first, voided=True).count() == 3
