"""Pages of a long list: the rows of one page are read with LIMIT/OFFSET, the total with COUNT.

A view counts the rows the reader may see in SQL, asks :func:`page_of` which page the
request wants, reads that page's rows with ``LIMIT page.limit OFFSET page.offset`` and
hands ``page`` to its template, which draws the links with the ``pager`` macro of
``corehub/web/pagination.html``. The links keep every other argument of the request (a
team filter, a scope), so paging never loses a filter.
"""

from __future__ import annotations

from typing import Any

import attrs

PER_PAGE = 50
"""Rows per page unless a view says otherwise."""


@attrs.frozen
class Page:
    """One page of a list of ``total`` rows: the ``number``-th (from 1) of ``per_page`` rows."""

    number: int
    per_page: int
    total: int
    arg: str = "page"
    """The query argument that names the page (two lists on one page use two arguments)."""

    @property
    def pages(self) -> int:
        """How many pages there are (1 for an empty list)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def limit(self) -> int:
        """``LIMIT`` of the SQL query that reads this page's rows."""
        return self.per_page

    @property
    def offset(self) -> int:
        """``OFFSET`` of the SQL query that reads this page's rows."""
        return (self.number - 1) * self.per_page

    @property
    def first(self) -> int:
        """The position (from 1) of the page's first row; 0 when the list is empty."""
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        """The position (from 1) of the page's last row."""
        return min(self.offset + self.per_page, self.total)

    def slice(self, rows: list[Any]) -> list[Any]:
        """This page's share of ``rows``, for a list that is already short (a few dozen)."""
        return rows[self.offset : self.offset + self.per_page]

    def numbers(self, around: int = 2) -> list[int | None]:
        """The page numbers the links show: the first, the last and ``around`` on each side
        of this one; None where numbers are left out."""
        shown = sorted(
            {1, self.pages}
            | set(range(max(1, self.number - around), min(self.pages, self.number + around) + 1))
        )
        out: list[int | None] = []
        for n in shown:
            if out and out[-1] is not None and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out

    def url(self, number: int) -> str:
        """This page's address with page ``number``, every other argument kept."""
        from flask import request, url_for

        args: dict[str, Any] = {k: v for k, v in request.args.items(multi=False) if k != self.arg}
        if number > 1:
            args[self.arg] = number
        return url_for(request.endpoint or "", **(request.view_args or {}), **args)


def page_of(total: int, *, per_page: int = PER_PAGE, arg: str = "page") -> Page:
    """The page the request asks for (``?page=N``) of a list of ``total`` rows; a number
    that is not one, or is past the end, gives the nearest page there is."""
    from flask import request

    try:
        number = int(request.args.get(arg, "1"))
    except ValueError:
        number = 1
    pages = max(1, -(-total // per_page))
    return Page(number=min(max(1, number), pages), per_page=per_page, total=total, arg=arg)
