"""The calibration page in ``corehub serve``: ``/reviews/calibration/<cycle>?scope=...``.

For HR and directors (the library refuses anyone else): the managers side by side, the
self-vs-manager gaps per team, the people at the edges, the adjustments, and a form to
calibrate one rating with a reason. Every rule is :mod:`corehub_self_assessment.calibration`'s.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from corehub.errors import ValidationError
from corehub.web import current_hub, current_person, form_text, signed_in, write
from corehub.web import gettext as _
from corehub_self_assessment import calibration
from corehub_self_assessment.web import bp


@bp.get("/calibration/<int:cycle_id>")
@signed_in
def calibration_page(cycle_id: int) -> Any:
    hub = current_hub()
    scope = request.args.get("scope", "all")
    data = calibration.view(hub, cycle_id, scope, actor=current_person().id)
    return render_template(
        "corehub_self_assessment/web/calibration.html",
        data=data,
        cycle_id=cycle_id,
        is_open=any(
            s["status"] == "open" and s["scope"] == data["scope"] for s in data["sessions"]
        ),
    )


@bp.post("/calibration/<int:cycle_id>")
@signed_in
def calibration_adjust(cycle_id: int) -> Any:
    hub = current_hub()
    scope = request.form.get("scope", "all")
    raw = request.form.get("rating", "").strip().replace(",", ".")
    try:
        rating = float(raw)
    except ValueError:
        raise ValidationError(
            _("%(value)r is not a rating: give a number on the form's scale", value=raw)
        ) from None
    with write(hub):
        calibration.adjust(
            hub,
            cycle_id,
            request.form.get("person", ""),
            rating,
            reason=form_text("reason", calibration.MAX_REASON + 1000),
            actor=current_person().id,
        )
    flash(_("Calibrated. The original rating and your reason are kept."), "success")
    return redirect(url_for(".calibration_page", cycle_id=cycle_id, scope=scope))
