"""Money is Decimal yuan with two places, positive where it is an amount paid or granted."""

from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

MONEY_PLACES = 2
MONEY_DIGITS = 14


class MoneyField(models.DecimalField):
    def __init__(self, *args: Any, positive: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MONEY_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_PLACES)
        if positive:
            kwargs.setdefault("validators", [MinValueValidator(Decimal("0.01"), message=_("金额必须大于 0。"))])
        super().__init__(*args, **kwargs)


def format_money(value: Decimal | int | str | None) -> str:
    """Renminbi with thousands separators and two decimals in the active language's format."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    return sign + "¥" + number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
