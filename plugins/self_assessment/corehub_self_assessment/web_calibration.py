"""The calibration page in ``corehub serve``: ``/reviews/calibration/<cycle>?scope=...``.

For HR and directors (the library refuses anyone else): the managers side by side, the
self-vs-manager gaps per team, the people at the edges, the adjustments, and a form to
calibrate one rating with a reason. Every rule is :mod:`corehub_self_assessment.calibration`'s.

The form offers the people whose rating the reader may calibrate: in a list when they are
a few (:data:`SELECT_AT_MOST`), else through a search (``?find=...``, a page of the people
found at a time, ``?person=<id>`` for the one chosen), so that the page never lists every
rated person of the cycle. It works without JavaScript: the search is a GET form.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from corehub import access
from corehub.errors import ValidationError
from corehub.web import (
    FormErrors,
    Page,
    current_hub,
    current_person,
    form_text,
    page_of,
    signed_in,
    write,
)
from corehub.web import gettext as _
from corehub_self_assessment import calibration
from corehub_self_assessment.blueprint import bp

FIELDS = {
    "a calibration needs a --reason (it is kept in the audit trail)": "calibrate-reason",
    "a reason has at most %(limit)s characters": "calibrate-reason",
    "a calibrated rating is on the form's scale, %(low)s to %(high)s (%(given)s given)": (
        "calibrate-rating"
    ),
    "the manager's review of %(person)s is not submitted yet; only submitted reviews are "
    "calibrated": "calibrate-person",
    "no calibration session over %(person)s is open in cycle %(cycle)r; open one with: "
    "corehub cycle calibrate open --cycle %(quoted)s": "calibrate-person",
}
"""The library's problems with a calibration, by the field of the form they are about."""
PAGES = {"managers": "page", "teams": "teams-page", "edges": "edges-page"}
"""The query argument that names the page of each long list of the page."""
PER_PAGE = 50
"""Managers, teams and people at the edges listed on one page."""
SELECT_AT_MOST = 12
"""The form lists the people whose rating the reader may calibrate when there are at most
this many; with more, it offers a search."""
FOUND_PER_PAGE = 20
"""People a search lists per page."""


def calibration_view(
    cycle_id: int,
    scope: str,
    form_errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    hub = current_hub()
    reader = current_person().id
    form_errors = form_errors or FormErrors()
    asked = {}
    for name, arg in PAGES.items():
        try:
            asked[name] = (int(request.args.get(arg, "1")), PER_PAGE)
        except ValueError:
            asked[name] = (1, PER_PAGE)
    # the managers, the teams and the people at the edges a page at a time; the managers'
    # competency means are not shown; the form's people are read by calibrate_form
    data = calibration.view(
        hub,
        cycle_id,
        scope,
        actor=reader,
        ratings=False,
        pages=asked,
        competencies=False,
    )
    hidden = _named_only_if_seen(hub, reader, data)
    pages: dict[str, Page] = {
        name: page_of(data["totals"][name], per_page=PER_PAGE, arg=arg)
        for name, arg in PAGES.items()
    }
    is_open = any(s["status"] == "open" and s["scope"] == data["scope"] for s in data["sessions"])
    values = values or {}
    return render_template(
        "corehub_self_assessment/web/calibration.html",
        data=data,
        pages=pages,
        hidden=hidden,
        cycle_id=cycle_id,
        is_open=is_open,
        form=calibrate_form(hub, cycle_id, data["scope"], reader, values, form_errors)
        if is_open
        else None,
        form_errors=form_errors,
        values=values,
    ), status


def calibrate_form(
    hub: Any,
    cycle_id: int,
    scope: str,
    reader: str,
    values: dict[str, str],
    form_errors: FormErrors,
) -> dict[str, Any]:
    """What the form offers ``reader``, reading no more people than it shows: the people
    whose rating they may calibrate when there are a few (``"people"``); otherwise a
    search: the text searched (``"find"``, from the request or the form sent), a page of
    the people it finds (``"found"``, ``"found_page"``) and the person chosen
    (``"chosen"``: ``?person=`` or the form sent), each among those people only."""
    few = calibration.adjustable_count(
        hub, cycle_id, scope, actor=reader, at_most=SELECT_AT_MOST + 1
    )
    if few <= SELECT_AT_MOST:
        return {
            "search": False,
            "people": calibration.adjustable(hub, cycle_id, scope, actor=reader),
        }
    find = " ".join(values.get("find", request.args.get("find", "")).split())
    find = find[: calibration.FIND_LIMIT]
    asked = values.get("person", request.args.get("person", "")).strip()
    found: list[dict[str, Any]] = []
    found_page = None
    if find:
        found_page = page_of(
            calibration.adjustable_count(hub, cycle_id, scope, actor=reader, find=find),
            per_page=FOUND_PER_PAGE,
            arg="found-page",
        )
        if found_page.total:
            found = calibration.adjustable(
                hub,
                cycle_id,
                scope,
                actor=reader,
                find=find,
                limit=found_page.limit,
                offset=found_page.offset,
            )
    chosen = None
    if asked:
        chosen = next(
            iter(calibration.adjustable(hub, cycle_id, scope, actor=reader, person=asked)), None
        )
        if chosen is None and "calibrate-person" not in form_errors:
            # the same words whoever it is: someone else's, nobody's, or not rated yet
            form_errors.add(
                "calibrate-person",
                _(
                    "%(person)s is not among the people whose rating you may calibrate "
                    "here: find them by name or id.",
                    person=asked,
                ),
            )
    return {
        "search": True,
        "find": find,
        "found": found,
        "found_page": found_page,
        "chosen": chosen,
    }


def _named_only_if_seen(hub: Any, reader: str, data: dict[str, Any]) -> dict[str, int]:
    """Keep in ``data`` only the rows about people ``reader`` may see (HR: everyone; a
    director: themselves and the people below them), as the calibration sheet does; the
    figures over the whole scope stay. Returns how many rows of each list were left out.

    What is looked up is what the page names: the managers above each person at the edges
    and in the adjustments (their chain upwards, as :func:`corehub.access.may_see_person`
    walks it)."""
    who = access.viewer(hub, reader)
    hidden = {"edges": 0, "adjustments": 0}
    if who.sees_everything:
        return hidden
    named = {row["person"] for rows in hidden for row in data[rows]} - {reader}
    seen = {reader} | _managed_by(hub, reader, named)
    for rows in hidden:
        kept = [row for row in data[rows] if row["person"] in seen]
        hidden[rows] = len(data[rows]) - len(kept)
        data[rows] = kept
    return hidden


def _managed_by(hub: Any, reader: str, named: set[str]) -> set[str]:
    """The people of ``named`` whom ``reader`` manages (at any level): one statement over
    their chains of managers, not the whole organization below the reader."""
    managed: set[str] = hub.people.managed_among(reader, named)
    return managed


@bp.get("/calibration/<int:cycle_id>")
@signed_in
def calibration_page(cycle_id: int) -> Any:
    return calibration_view(cycle_id, request.args.get("scope", "all"))


@bp.post("/calibration/<int:cycle_id>")
@signed_in
def calibration_adjust(cycle_id: int) -> Any:
    hub = current_hub()
    scope = request.form.get("scope", "all")
    values = {k: request.form.get(k, "") for k in ("person", "rating", "reason", "find")}
    raw = values["rating"].strip().replace(",", ".")
    problems = FormErrors()
    try:
        rating = float(raw)
    except ValueError:
        problems.add(
            "calibrate-rating",
            _("%(value)r is not a rating: give a number on the form's scale", value=raw),
        )
    if problems:
        return calibration_view(cycle_id, scope, problems, values, 400)
    try:
        with write(hub):
            calibration.adjust(
                hub,
                cycle_id,
                values["person"],
                rating,
                reason=form_text("reason", calibration.MAX_REASON + 1000),
                actor=current_person().id,
            )
    except ValidationError as exc:
        problems.add_error(exc, FIELDS)
        return calibration_view(cycle_id, scope, problems, values, 400)
    flash(_("Calibrated. The original rating and your reason are kept."), "success")
    # the search kept: the people found are listed again, to calibrate the next one
    find = " ".join(values["find"].split())[: calibration.FIND_LIMIT] or None
    return redirect(url_for(".calibration_page", cycle_id=cycle_id, scope=scope, find=find))
