"""The bridge between projects and the reviews engine (application review and acceptance scoring)."""

from decimal import Decimal
from typing import Any


def assigned_project_ids(user: Any) -> list[int]:
    """Projects whose application the user is assigned to review."""
    return []


def acceptance_result(acceptance: Any) -> tuple[Decimal, str]:
    """Total and grade of an acceptance through the acceptance rubric."""
    raise NotImplementedError
