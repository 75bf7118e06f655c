"""One date format per language: a page never writes 07/01/2026 beside July 1, 2026."""

import datetime

import pytest
from django.utils import formats, translation

MOMENT = datetime.datetime(2026, 7, 1, 21, 30)


@pytest.mark.parametrize(
    ("language", "date", "moment"),
    [("zh-hans", "2026年7月1日", "2026年7月1日 21:30"), ("en", "1 Jul 2026", "1 Jul 2026 21:30")],
)
def test_dates_and_times_are_written_one_way(language, date, moment):
    with translation.override(language):
        assert {formats.date_format(MOMENT, name) for name in ("DATE_FORMAT", "SHORT_DATE_FORMAT")} == {date}
        assert {formats.date_format(MOMENT, name) for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT")} == {moment}
