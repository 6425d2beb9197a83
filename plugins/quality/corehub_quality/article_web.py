"""The content-standard check of a knowledge article in ``corehub serve``: the check's coach
sees the article sampled for them beside the ``article`` scorecard, saves a draft, submits
(final). Only the check's coach (or HR, as on the command line) may open or record it;
the library (:func:`corehub_quality.articles.check_article`) decides, the view turns the
form into a call and the problems into messages beside their criteria."""

from __future__ import annotations

import json
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from corehub.errors import CorehubError, PermissionDeniedError, ValidationError
from corehub.i18n import active
from corehub.messages import Message, text_of
from corehub.models import Text
from corehub.web import (
    FormErrors,
    current_hub,
    current_person,
    form_text,
    ngettext,
    signed_in,
    write,
)
from corehub.web import gettext as _
from corehub_quality import articles, scorecards
from corehub_quality.blueprint import bp
from corehub_quality.web import criteria_rows

COMMENT_LIMIT = 2000


def _check(check_id: int) -> dict[str, Any]:
    """The check, once the signed-in person is its coach (or HR)."""
    hub = current_hub()
    me = current_person()
    check = articles.check_row(hub, check_id)
    if me.id != check["coach_id"] and me.id not in hub.config.organization.hr:
        raise PermissionDeniedError(
            _("This article check is for the coach it was sampled for (and HR) only.")
        )
    return check


def _page(
    check: dict[str, Any],
    answers: dict[str, str] | None = None,
    comments: dict[str, str] | None = None,
    fields: dict[str, str] | None = None,
    general: list[str] | None = None,
) -> Any:
    hub = current_hub()
    language = active().language
    card = (
        json.loads(check["scorecard"])
        if check["scorecard"]
        else scorecards.get(hub, articles.SCORECARD)
    )
    saved_answers = json.loads(check["answers"])
    saved_comments = json.loads(check["comments"])
    categories = criteria_rows(
        card, saved_answers | (answers or {}), saved_comments | (comments or {}), language
    )
    article = next(
        iter(hub.db.query(f"SELECT * FROM {articles.TABLE} WHERE id = ?", [check["article_row"]]))
    )
    author = hub.people.find(check["author_id"])
    errors = FormErrors()
    for message in general or []:
        errors.add(None, message)
    for category in categories:
        for q in category["criteria"]:
            q["error"] = (fields or {}).get(q["id"], "")
            if q["error"]:
                target = f"a-{q['id']}-{q['options'][0][0]}"
                errors.add(target, q["error"], label=q["text"].rstrip("."))
    status = 400 if errors else 200
    return (
        render_template(
            "corehub_quality/web/article_check.html",
            check=check,
            article=article,
            label=articles.article_label(check),
            author=author.name if author else check["author_id"],
            scorecard_title=Text.of(card["title"]).get(language),
            version=card.get("version"),
            categories=categories,
            form_errors=errors,
            submitted=check["status"] == "submitted",
            comment_limit=COMMENT_LIMIT,
        ),
        status,
    )


@bp.get("/articles/<int:check_id>")
@signed_in
def article_check(check_id: int) -> Any:
    return _page(_check(check_id))


@bp.post("/articles/<int:check_id>")
@signed_in
def article_check_save(check_id: int) -> Any:
    hub = current_hub()
    check = _check(check_id)
    card = (
        json.loads(check["scorecard"])
        if check["scorecard"]
        else scorecards.get(hub, articles.SCORECARD)
    )
    ids = list(scorecards.criteria(card))
    answers = {qid: request.form.get(f"a-{qid}", "") for qid in ids}
    fields: dict[str, str] = {}
    comments: dict[str, str] = {}
    for qid in ids:
        try:
            text = form_text(f"c-{qid}", COMMENT_LIMIT).strip()
        except ValidationError:
            fields[qid] = ngettext(
                "at most %(num)s character", "at most %(num)s characters", COMMENT_LIMIT
            )
            continue
        if text or qid in json.loads(check["comments"]):
            comments[qid] = text
    if fields:
        return _page(check, answers, comments, fields)
    submit = request.form.get("action") == "submit"
    try:
        with write(hub):
            articles.check_article(
                hub,
                check_id,
                {k: v for k, v in answers.items() if v},
                comments,
                submit=submit,
                actor=current_person().id,
            )
    except PermissionDeniedError:
        raise
    except CorehubError as exc:
        fields, general = _problems(exc, ids)
        return _page(articles.check_row(hub, check_id), answers, comments, fields, general)
    flash(
        _("Check of %(article)s submitted.", article=articles.article_label(check))
        if submit
        else _("Draft saved."),
        "success",
    )
    if submit:
        return redirect(url_for(".home", _anchor="article-checks"))
    return redirect(url_for(".article_check", check_id=check_id))


def _problems(exc: CorehubError, ids: list[str]) -> tuple[dict[str, str], list[str]]:
    """Problems beside their criterion (a Message whose ``where`` names one); the rest,
    with the summary, on top."""
    t = active()
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in getattr(exc, "problems", None) or []:
        where = problem.where if isinstance(problem, Message) else None
        if where in ids:
            fields.setdefault(str(where), []).append(text_of(problem, t))
        else:
            general.append(text_of(problem, t))
    summary = getattr(exc, "summary", None) or (exc.args[0] if exc.args else "")
    if general or not fields:
        general.insert(0, text_of(summary, t))
    return {k: " ".join(v) for k, v in fields.items()}, general
