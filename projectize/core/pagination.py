"""Pages of long lists that never count a whole large table.

`paginate(request, rows, per_page)` returns a Django `Page`. Its paginator counts at most `COUNT_CAP`
rows, with one `SELECT COUNT(*) FROM (… LIMIT cap + 1)`, so a list of a million rows costs what a list of
ten thousand does. Past the cap, `paginator.capped` is true, the page bar says "more than", and the page
numbers stop at the cap: the deepest OFFSET is bounded as well, and a filter narrows the rest.
"""

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` rows (`capped` says whether there are more)."""

    def __init__(
        self, object_list: Any, per_page: int, cap: int = COUNT_CAP, *, count_in_order: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.count_in_order = count_in_order

    @cached_property
    def _bounded_count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # The order does not change a count; without it the database need not sort. A list whose filter
            # no index serves but most rows pass (a district's log) keeps it: the index of its order is read
            # until the cap instead of the table.
            return (rows if self.count_in_order else rows.order_by())[: self.cap + 1].count()
        return len(rows)

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        return self._bounded_count > self.cap

    def page(self, number: Any) -> Page:
        """A page; past the cap the last counted page is full, as there are more rows behind it."""
        page = super().page(number)
        if self.capped:
            bottom = (page.number - 1) * self.per_page
            page.object_list = self.object_list[bottom : bottom + self.per_page]
        return page


def paginate(
    request: HttpRequest, rows: Any, per_page: int, *, cap: int = COUNT_CAP, count_in_order: bool = False
) -> Page:
    """The page the request asks for (`?page=`); past the last page, the last one."""
    paginator = CappedPaginator(rows, per_page, cap=cap, count_in_order=count_in_order)
    return paginator.get_page(request.GET.get("page"))
