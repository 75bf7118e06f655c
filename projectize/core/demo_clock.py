"""The demo's history on its own dates: each step runs through the services with the clock set to its day.

So every date the services write (log entries, notifications, deadlines, “公示期至 …”) follows the story:
claims before the deadline, the notice after it, the award after the notice.
"""

import datetime
from typing import Any

import time_machine
from django.utils import timezone


def days_before(now: datetime.datetime, days: float, hour: int = 10) -> datetime.datetime:
    """`hour` o'clock (local time) on the day `days` before `now`; fractions of a day add hours."""
    day = timezone.localtime(now).date() - datetime.timedelta(days=int(days))
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return moment - datetime.timedelta(days=days - int(days))


def at(moment: datetime.datetime) -> Any:
    """Run the block as if it were `moment` (the clock keeps ticking, so steps stay in order)."""
    return time_machine.travel(moment, tick=True)
