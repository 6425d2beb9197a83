"""The calibration page in ``corehub serve``: ``/reviews/calibration/<cycle>?scope=...``.

For HR and directors (the library refuses anyone else): the managers side by side, the
self-vs-manager gaps per team, the people at the edges, the adjustments, and a form to
calibrate one rating with a reason. Every rule is :mod:`corehub_self_assessment.calibration`'s.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from corehub import access
from corehub.errors import ValidationError
from corehub.web import (
    MANAGED_SQL,
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


def calibration_view(
    cycle_id: int,
    scope: str,
    form_errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    hub = current_hub()
    asked = {}
    for name, arg in PAGES.items():
        try:
            asked[name] = (int(request.args.get(arg, "1")), PER_PAGE)
        except ValueError:
            asked[name] = (1, PER_PAGE)
    # the form lists every rated person: read only while a session over the scope is open;
    # the managers, the teams and the people at the edges a page at a time; the managers'
    # competency means are not shown
    data = calibration.view(
        hub,
        cycle_id,
        scope,
        actor=current_person().id,
        ratings=None,
        pages=asked,
        competencies=False,
    )
    hidden = _named_only_if_seen(hub, current_person().id, data)
    pages: dict[str, Page] = {
        name: page_of(data["totals"][name], per_page=PER_PAGE, arg=arg)
        for name, arg in PAGES.items()
    }
    return render_template(
        "corehub_self_assessment/web/calibration.html",
        data=data,
        pages=pages,
        hidden=hidden,
        cycle_id=cycle_id,
        is_open=any(
            s["status"] == "open" and s["scope"] == data["scope"] for s in data["sessions"]
        ),
        form_errors=form_errors or FormErrors(),
        values=values or {},
    ), status


def _named_only_if_seen(hub: Any, reader: str, data: dict[str, Any]) -> dict[str, int]:
    """Keep in ``data`` only the rows about people ``reader`` may see (HR: everyone; a
    director: themselves and the people below them), as the calibration sheet does; the
    figures over the whole scope stay. Returns how many rows of each list were left out.

    What is looked up is what the page names: the managers above each person at the edges
    and in the adjustments (their chain upwards, as :func:`corehub.access.may_see_person`
    walks it), and the people below the reader only when the form lists rated people."""
    who = access.viewer(hub, reader)
    hidden = {"edges": 0, "adjustments": 0}
    # the form's list of rated people: nobody calibrates their own rating
    data["ratings"] = [r for r in data["ratings"] if r["person"] != reader]
    if who.sees_everything:
        return hidden
    named = {row["person"] for rows in hidden for row in data[rows]} - {reader}
    seen = {reader} | _managed_by(hub, reader, named)
    for rows in hidden:
        kept = [row for row in data[rows] if row["person"] in seen]
        hidden[rows] = len(data[rows]) - len(kept)
        data[rows] = kept
    # and a director's, only those below them (one look-up, however many, and only when
    # the form lists anyone)
    if data["ratings"]:
        below = {
            row["id"] for row in hub.db.query(MANAGED_SQL + "SELECT id FROM below", {"me": reader})
        }
        data["ratings"] = [r for r in data["ratings"] if r["person"] in below]
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
    values = {k: request.form.get(k, "") for k in ("person", "rating", "reason")}
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
    return redirect(url_for(".calibration_page", cycle_id=cycle_id, scope=scope))
