"""Values that make no sense are refused where they are typed: one rule per kind of value."""

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Counted things (people reached, problems solved, an indicator's figures) are never below zero.
not_negative = MinValueValidator(Decimal(0), message=gettext_lazy("不能为负数。"))


def date_outside_years(value: datetime.date, first_year: int, last_year: int) -> str | None:
    """Why `value` is not a date of the years `first_year`–`last_year`, or None when it is."""
    if first_year <= value.year <= last_year:
        return None
    return _("日期应在 %(first)d 年至 %(last)d 年之间，请检查年份。") % {"first": first_year, "last": last_year}
