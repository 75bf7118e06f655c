"""The similar-need lookup reads only what can match: open needs of the committee holding the query's words."""

import pytest

from projectize.needs import candidates, services
from projectize.needs.models import Channel, NeedStatus, TokenFrequency
from projectize.needs.selectors import similar_needs
from projectize.needs.thesaurus import forget_counts
from projectize.orgs.models import OrgKind
from tests.factories import make_org, make_root
from tests.needs.factories import make_category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_counts_kept_between_tests():
    # A committee's counts are kept in the process; another test's committee may get the same id.
    forget_counts()
    yield
    forget_counts()


def raise_need(committee, area, title, description, location=""):
    return services.need_create(
        organization=committee,
        title=title,
        description=description,
        category=make_category(committee, "平安建设"),
        channel=Channel.PORTAL,
        area=area,
        location=location,
    )


def test_only_open_needs_of_the_committee_are_found():
    town = make_root()
    area = make_org(town, "柳岸居民区党总支", OrgKind.RESIDENTIAL)
    other_town = make_org(town, "泗泾镇党委", OrgKind.COMMITTEE)
    other_area = make_org(other_town, "塔汇居民区党总支", OrgKind.RESIDENTIAL)
    open_need = raise_need(town, area, "路灯坏了一个多月", "中心路的几盏路灯一直不亮，晚上走路要打手电。")
    resolved = raise_need(town, area, "中心路路灯不亮", "晚上路灯坏了，走路看不清。")
    resolved.status = NeedStatus.RESOLVED
    resolved.save(update_fields=["status"])
    raise_need(other_town, other_area, "路灯坏了一个多月", "中心路的几盏路灯一直不亮，晚上走路要打手电。")

    found = similar_needs(town, "小区晚上太黑 中心路灯不亮", area_id=area.pk)
    assert [need for need, _match in found] == [open_need]


def test_a_lookup_asks_for_its_rare_words_and_its_weightiest_common_ones_in_its_area():
    counts = {"c:1": 90_000, "c:2": 40_000, "w:晚上": 200_000, "w:走路": 20_000, "w:中心路": 300, "w:错字": 0}
    counts |= {"w:场东": 1_000, "w:不亮": 30_000}

    def weight(key):  # rarer weighs more; a synonym group five times a word
        return (5 if key.startswith("c:") else 1) * 1_000_000 / (counts[key] + 1)

    # Rare words one or another, up to the needs the counts say they are in (an unseen word costs nothing);
    # the weightiest common feature with one of the next three, in the query's area if it has one.
    assert candidates.plan(list(counts), counts, weight, area=True) == [
        ([["w:错字", "w:中心路", "w:场东"]], False),
        ([["c:2"], ["c:1", "w:走路", "w:不亮"]], True),
    ]
    assert candidates.plan(list(counts), counts, weight, area=False)[1][1] is False
    rare = {"w:杏坛": 40, "w:隔断": 300, "c:7": 1_000}
    assert candidates.plan(list(rare), rare, weight, area=True) == [([["w:杏坛", "w:隔断", "c:7"]], False)]


def test_in_a_committee_where_every_word_is_common_the_area_s_needs_are_found(monkeypatch):
    town = make_root()
    area = make_org(town, "柳岸居民区党总支", OrgKind.RESIDENTIAL)
    elsewhere = make_org(town, "云锦居民区党总支", OrgKind.RESIDENTIAL)
    here = raise_need(town, area, "路灯坏了一个多月", "中心路的几盏路灯一直不亮，晚上走路要打手电。")
    raise_need(town, elsewhere, "路灯坏了一个多月", "中心路的几盏路灯一直不亮，晚上走路要打手电。")
    # As if the committee had tens of thousands of needs mentioning each of these words.
    TokenFrequency.objects.filter(organization=town).update(count=50_000)
    forget_counts()

    planned = []
    plan = candidates.plan

    def recorded(*args, **kwargs):
        planned.append(plan(*args, **kwargs))
        return planned[-1]

    monkeypatch.setattr(candidates, "plan", recorded)

    found = similar_needs(town, "中心路的路灯一直不亮，晚上走路要打手电", area_id=area.pk)
    assert [need for need, _match in found] == [here]
    # Every word is common: only the area's part is asked for.
    assert len(planned[0]) == 1 and planned[0][0][1] is True


def test_a_large_committee_s_word_counts_are_read_once_until_its_needs_grow(django_assert_num_queries):
    from projectize.needs.thesaurus import feature_counts

    town = make_root()
    TokenFrequency.objects.bulk_create(
        [TokenFrequency(organization=town, feature=key, count=n) for key, n in [("", 20_000), ("w:路灯", 900)]]
    )
    forget_counts()
    with django_assert_num_queries(1):
        assert feature_counts(town, ["w:路灯", "w:晚上"]) == ({"w:路灯": 900, "w:晚上": 0}, 20_000)
    with django_assert_num_queries(0):
        assert feature_counts(town, ["w:路灯"]) == ({"w:路灯": 900}, 20_000)
    # A word not read yet is asked for alone; once the needs have grown by more than a hundredth, all again.
    TokenFrequency.objects.filter(organization=town, feature="w:路灯").update(count=1_000)
    with django_assert_num_queries(1):
        assert feature_counts(town, ["w:路灯", "c:3"]) == ({"w:路灯": 900, "c:3": 0}, 20_000)
    TokenFrequency.objects.filter(organization=town, feature="").update(count=20_300)
    small = make_org(town, "泗泾镇党委", OrgKind.COMMITTEE)
    TokenFrequency.objects.create(organization=small, feature="", count=50)
    with django_assert_num_queries(2):
        assert feature_counts(town, ["w:路灯", "w:楼道"]) == ({"w:路灯": 1_000, "w:楼道": 0}, 20_300)
    # A small committee is always asked.
    for _ in range(2):
        with django_assert_num_queries(1):
            feature_counts(small, ["w:路灯"])
