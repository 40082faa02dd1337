"""Pagination for long lists (issue 4: a list of 10^6 persons)."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class DeferredJoinPaginator(Paginator):
    """A paginator whose deep pages cost what the first one does.

    Django's paginator slices the ordered queryset itself: `OFFSET 49950` reads and throws
    away 49,950 whole rows from the table. Here the page is one statement with a deferred
    join: the page's primary keys are picked by the same filters and order, which an index
    on the ordering columns answers from the index alone, and only those rows are read
    (`WHERE pk IN (SELECT pk … ORDER BY … LIMIT 50 OFFSET 49950) ORDER BY …`).

    `count`, when the caller knows it without counting (e.g. from an indicator kept by the
    database), saves the paginator's `COUNT(*)`; it must be the queryset's exact count.
    """

    def __init__(self, object_list: QuerySet, per_page: int, *, count: int | None = None, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)
