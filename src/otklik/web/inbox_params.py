"""The inbox's query parameters, shared by the page and ``/api/items``.

Values come as text, because an empty field of the filter form arrives as ``?source=`` and means
"any"; a value that makes no sense is refused with 422 and names the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Query

from otklik.errors import InputError
from otklik.store.inbox_query import MAX_PER_PAGE, InboxFilter, parse_rating

Text = Annotated[str, Query(max_length=200)]


@dataclass(frozen=True, slots=True)
class InboxQuery:
    flt: InboxFilter
    page: int
    per_page: int
    raw: dict[str, str]  # the non-empty parameters as given, for links to other pages

    def link(self, **changes: object) -> str:
        """This query with some parameters changed (None drops one), as ``?a=b`` for a link."""
        params = {**self.raw, **{k: str(v) for k, v in changes.items() if v is not None}}
        for k, v in changes.items():
            if v is None:
                params.pop(k, None)
        return "?" + urlencode(params)


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{field} '{value[:20]}' is not a date like 2026-12-31", field=field) from None


def inbox_query(
    status: Text = "",
    source: Text = "",
    product: Text = "",
    kind: Text = "",
    sentiment: Text = "",
    aspect: Text = "",
    rating: Text = "",
    overdue: Annotated[bool, Query()] = False,
    search: Text = "",
    date_from: Text = "",
    date_to: Text = "",
    include_done: Annotated[bool, Query(description="the same as status=all")] = False,
    done: Annotated[bool, Query(description="the same as status=all (older links)")] = False,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int | None, Query(ge=1, le=MAX_PER_PAGE)] = None,
    limit: Annotated[int | None, Query(ge=1, description=f"the same as per_page (older clients; above {MAX_PER_PAGE} gives {MAX_PER_PAGE})")] = None,
) -> InboxQuery:
    lo, hi = parse_rating(rating)
    include_done = include_done or done
    flt = InboxFilter(
        status=status or ("all" if include_done else "open"), source=source or None, product=product or None,
        kind=kind or None, sentiment=sentiment or None, aspect=aspect or None, rating_min=lo, rating_max=hi,
        overdue=overdue, search=search.strip() or None, written_from=_date(date_from, "date_from"),
        written_to=_date(date_to, "date_to"),
    )
    raw = {k: v for k, v in (("status", status or ("all" if include_done else "")), ("source", source),
                             ("product", product), ("kind", kind), ("sentiment", sentiment), ("aspect", aspect),
                             ("rating", rating), ("overdue", "true" if overdue else ""), ("search", search),
                             ("date_from", date_from), ("date_to", date_to)) if v}
    size = per_page or min(limit or 50, MAX_PER_PAGE)
    if per_page:
        raw["per_page"] = str(per_page)
    return InboxQuery(flt, page, size, raw)


InboxQueryDep = Annotated[InboxQuery, Depends(inbox_query)]
