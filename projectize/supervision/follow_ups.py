"""督办 on the projects' overdue list: what supervision keeps about each overdue item (the latest 催办 or
督办, the project's open letter) is shown on the list's rows with the buttons to act on it. Projects
imports nothing from supervision: the follow-up is registered with it at start-up (apps.py)."""

from collections.abc import Mapping
from typing import Any

from projectize.orgs.models import User
from projectize.projects.selectors import OverdueFollowUp, OverdueItem
from projectize.supervision.selectors import follow_up_context


def overdue_rows(items: list[OverdueItem], user: User) -> Mapping[str, dict[str, Any]]:
    """For one page of the overdue list: each item's latest 督办, its project's open letter, and whether
    the reader may act on it. Two queries, whatever the page holds."""
    latest, letters = follow_up_context(items)
    return {
        item.key: {
            "last": latest.get(item.key),
            "letter": letters.get(item.project.pk),
            "can_act": user.has_perm("supervision.change_letter", item.project),
        }
        for item in items
    }


OVERDUE_FOLLOW_UP = OverdueFollowUp("supervision/_overdue_follow_up.html", overdue_rows)
