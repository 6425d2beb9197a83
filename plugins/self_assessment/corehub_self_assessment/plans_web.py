"""The development plan page in ``corehub serve``: ``/reviews/plan`` (mine) and
``/reviews/plan/<person>``.

The person, their managers and HR read it; the person and their manager add goals and
agreed actions and mark them done, in forms with an error summary and each field's
problem beside it (``aria-invalid``). Every rule is :mod:`corehub_self_assessment.plans`'.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for

from corehub.errors import ValidationError
from corehub.messages import Message
from corehub.web import (
    FormErrors,
    current_hub,
    current_person,
    form_text,
    managed_people,
    signed_in,
    write,
)
from corehub.web import gettext as _
from corehub_self_assessment import plans
from corehub_self_assessment.blueprint import bp

FORMS = ("action", "goal", "action-done", "goal-done")


def _page(
    person_id: str,
    *,
    form: str = "",
    posted: dict[str, str] | None = None,
    form_errors: FormErrors | None = None,
    status: int = 200,
) -> Any:
    hub = current_hub()
    me = current_person()
    plan = plans.show(hub, person_id, actor=me.id)
    return (
        render_template(
            "corehub_self_assessment/web/plan.html",
            plan=plan,
            is_me=person_id == me.id,
            reports=managed_people(hub, me.id),
            form=form,
            posted=posted or {},
            form_errors=form_errors or FormErrors(),
            today=hub.clock.today().isoformat(),
        ),
        status,
    )


def _field_of(problem: Any, form: str) -> str | None:
    where = problem.where if isinstance(problem, Message) else None
    return f"{form}-{where}" if where else None


@bp.get("/plan")
@signed_in
def plan_mine() -> Any:
    return _page(current_person().id)


@bp.get("/plan/<person_id>")
@signed_in
def plan_page(person_id: str) -> Any:
    return _page(person_id)


def _write(person_id: str, form: str, fields: tuple[str, ...], do: Any) -> Any:
    hub = current_hub()
    posted = {name: form_text(name, plans.MAX_TEXT + 1000) for name in fields}
    try:
        with write(hub):
            do(hub, posted)
    except ValidationError as exc:
        # each problem names its field (``where``): the input ``<form>-<field>``
        errors = FormErrors().add_error(exc, lambda problem: _field_of(problem, form))
        return _page(person_id, form=form, posted=posted, form_errors=errors, status=400)
    return None


@bp.post("/plan/<person_id>/actions")
@signed_in
def plan_add_action(person_id: str) -> Any:
    me = current_person()
    failed = _write(
        person_id,
        "action",
        ("text", "owner", "due"),
        lambda hub, p: plans.add_action(
            hub, person_id, p["text"], owner=p["owner"], due=p["due"], actor=me.id
        ),
    )
    if failed is not None:
        return failed
    flash(_("Action added to the plan."), "success")
    return redirect(url_for(".plan_page", person_id=person_id) + "#actions")


@bp.post("/plan/<person_id>/actions/<int:action_id>/done")
@signed_in
def plan_action_done(person_id: str, action_id: int) -> Any:
    me = current_person()
    if plans.action(current_hub(), action_id)["person_id"] != person_id:
        from corehub.errors import NotFoundError
        from corehub.messages import M_

        raise NotFoundError(M_("no agreed action #%(id)s in any development plan", id=action_id))
    failed = _write(
        person_id,
        f"action-done-{action_id}",
        ("on",),
        lambda hub, p: plans.action_done(hub, action_id, on=p["on"], actor=me.id),
    )
    if failed is not None:
        return failed
    flash(_("Marked done. It stays in the plan with its date."), "success")
    return redirect(url_for(".plan_page", person_id=person_id) + "#actions")


@bp.post("/plan/<person_id>/goals")
@signed_in
def plan_add_goal(person_id: str) -> Any:
    me = current_person()
    failed = _write(
        person_id,
        "goal",
        ("objective", "result", "due"),
        lambda hub, p: plans.add_goal(
            hub, person_id, p["objective"], result=p["result"], due=p["due"], actor=me.id
        ),
    )
    if failed is not None:
        return failed
    flash(_("Goal added to the plan."), "success")
    return redirect(url_for(".plan_page", person_id=person_id) + "#goals")


@bp.post("/plan/<person_id>/goals/<int:goal_id>/done")
@signed_in
def plan_goal_done(person_id: str, goal_id: int) -> Any:
    me = current_person()
    if plans.goal(current_hub(), goal_id)["person_id"] != person_id:
        from corehub.errors import NotFoundError
        from corehub.messages import M_

        raise NotFoundError(M_("no goal #%(id)s in any development plan", id=goal_id))
    failed = _write(
        person_id,
        f"goal-done-{goal_id}",
        ("outcome", "on"),
        lambda hub, p: plans.goal_achieved(
            hub, goal_id, outcome=p["outcome"], on=p["on"], actor=me.id
        ),
    )
    if failed is not None:
        return failed
    flash(_("Goal marked achieved."), "success")
    return redirect(url_for(".plan_page", person_id=person_id) + "#goals")
