"""Scorecards: the criteria a customer conversation is graded on (YAML, versioned).

A scorecard has categories of weighted criteria; a criterion is answered ``yes``/``no``
/``na`` or on a scale, and a **critical** criterion answered ``no`` fails the ticket.
Two ship with the plugin (``written``: email, chat, web form; ``phone``). An
organization overrides one, or adds its own, with a YAML file of the same shape in the
workspace's ``scorecards/`` folder; a file with a shipped id replaces that scorecard.
A grade keeps a copy of the scorecard it was made with (:func:`as_data`), so editing the
YAML later changes no past grade; raise ``version`` when the criteria change.
"""

from __future__ import annotations

import copy
import importlib.resources
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from corehub.errors import NotFoundError, ValidationError
from corehub.loaders import load_yaml
from corehub.messages import M_, Message
from corehub.models import Text, TicketScore

if TYPE_CHECKING:
    from corehub import Hub

_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
TYPES = ("yes_no", "scale")
ANSWERS = ("yes", "no", "na")
"""The answers of a yes/no criterion (``na``: does not apply; it leaves the score)."""
FOLDER = "scorecards"


def shipped_files() -> list[Path]:
    folder = importlib.resources.files("corehub_quality") / FOLDER
    return sorted(Path(str(f)) for f in folder.iterdir() if f.name.endswith((".yaml", ".yml")))


def workspace_files(hub: Hub) -> list[Path]:
    if hub.workspace is None:
        return []
    folder = Path(hub.workspace) / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_file(path: Path) -> dict[str, Any]:
    """Read and check one scorecard; a ValidationError lists every problem with its place.

    A file is parsed once while it stays as it is (its size and time of change): every
    grade and every packet reads the scorecards."""
    try:
        stat = path.stat()
        key: tuple[str, int, int] | None = (str(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        key = None
    if key is not None and key in _parsed:
        return copy.deepcopy(_parsed[key])
    card = _load_file(path)
    if key is not None:
        if len(_parsed) >= 64:
            _parsed.clear()
        _parsed[key] = copy.deepcopy(card)
    return card


_parsed: dict[tuple[str, int, int], dict[str, Any]] = {}


def _load_file(path: Path) -> dict[str, Any]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), source=path.name)
    except yaml.YAMLError as exc:
        raise ValidationError(f"{path.name}: not valid YAML: {exc}") from None
    problems = check(data)
    if problems:
        raise ValidationError(f"{path.name}: the scorecard has problems:", problems)
    assert isinstance(data, dict)
    return normalise(data)


def _text_problem(value: Any, where: str) -> str | None:
    try:
        Text.of(value)
    except ValueError as exc:
        return f"{where}: {exc}"
    return None


def _weight_problem(value: Any, where: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return f"{where}: weight {value!r} must be a number above 0"
    return None


def check(data: Any) -> list[str]:
    """Every problem of a scorecard's plain data (empty when it is fine)."""
    if not isinstance(data, dict):
        return ["a scorecard is a mapping with id, version, title, scales and categories"]
    problems: list[str] = []
    if not isinstance(data.get("id"), str) or not _ID.match(data["id"]):
        problems.append(f"id: {data.get('id')!r} must be lowercase letters, digits, - or _")
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(f"version: {version!r} must be a whole number from 1")
    if (p := _text_problem(data.get("title", data.get("id", "")), "title")) is not None:
        problems.append(p)
    channels = data.get("channels", [])
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        problems.append("channels: a list of channels (email, chat, web, phone)")
    scales = data.get("scales") or {}
    if not isinstance(scales, dict):
        problems.append("scales: a mapping of scale id to its points")
        scales = {}
    for scale_id, scale in scales.items():
        points = scale.get("points") if isinstance(scale, dict) else None
        values = [p.get("value") for p in points or [] if isinstance(p, dict)]
        if (
            not points
            or len(values) != len(points)
            or len(values) < 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in values)
            or len(set(values)) != len(values)
        ):
            problems.append(
                f"scales.{scale_id}: needs at least two points, each with a distinct whole "
                "number value and a label"
            )
    categories = data.get("categories")
    if not isinstance(categories, list) or not categories:
        problems.append("categories: a list of at least one category")
        return problems
    seen: set[str] = set()
    seen_criteria: set[str] = set()
    for n, category in enumerate(categories):
        where = f"categories[{n}]"
        if not isinstance(category, dict):
            problems.append(f"{where}: a mapping with id, title, weight and criteria")
            continue
        cid = category.get("id")
        if not isinstance(cid, str) or not _ID.match(cid):
            problems.append(f"{where}.id: {cid!r} must be lowercase letters, digits, - or _")
        else:
            where = f"categories.{cid}"
            if cid in seen:
                problems.append(f"{where}: id used twice")
            seen.add(cid)
        if (p := _weight_problem(category.get("weight", 1), where)) is not None:
            problems.append(p)
        if (p := _text_problem(category.get("title", cid or "?"), f"{where}.title")) is not None:
            problems.append(p)
        criteria = category.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            problems.append(f"{where}.criteria: a list of at least one criterion")
            continue
        for m, criterion in enumerate(criteria):
            cwhere = f"{where}.criteria[{m}]"
            if not isinstance(criterion, dict):
                problems.append(f"{cwhere}: a mapping with id, text and type")
                continue
            qid = criterion.get("id")
            if not isinstance(qid, str) or not _ID.match(qid):
                problems.append(f"{cwhere}.id: {qid!r} must be lowercase letters, digits, - or _")
                continue
            cwhere = f"{where}.{qid}"
            if qid in seen_criteria:
                problems.append(f"{cwhere}: id used twice in the scorecard")
            seen_criteria.add(qid)
            if (p := _text_problem(criterion.get("text", ""), f"{cwhere}.text")) is not None:
                problems.append(p)
            kind = criterion.get("type", "yes_no")
            critical = criterion.get("critical", False)
            if kind not in TYPES:
                problems.append(f"{cwhere}.type: {kind!r} is not one of {', '.join(TYPES)}")
            elif kind == "scale" and criterion.get("scale") not in scales:
                known = ", ".join(scales) or "none defined"
                problems.append(
                    f"{cwhere}.scale: unknown scale {criterion.get('scale')!r} (known: {known})"
                )
            if not isinstance(critical, bool):
                problems.append(f"{cwhere}.critical: true or false")
            elif critical and kind != "yes_no":
                problems.append(f"{cwhere}: a critical criterion is answered yes/no")
            if not critical and (p := _weight_problem(criterion.get("weight", 1), cwhere)):
                problems.append(p)
    return problems


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    """The scorecard as plain data with every default filled in (what a grade copies)."""
    return {
        "id": data["id"],
        "version": data.get("version", 1),
        "title": dict(Text.of(data.get("title", data["id"])).translations) or data["id"],
        "channels": list(data.get("channels", [])),
        "scales": {
            sid: {
                "points": [
                    {"value": p["value"], "label": _plain(p.get("label", str(p["value"])))}
                    for p in scale["points"]
                ]
            }
            for sid, scale in (data.get("scales") or {}).items()
        },
        "categories": [
            {
                "id": c["id"],
                "title": _plain(c.get("title", c["id"])),
                "weight": c.get("weight", 1),
                "competency": c.get("competency"),
                "criteria": [
                    {
                        "id": q["id"],
                        "text": _plain(q.get("text", q["id"])),
                        "type": q.get("type", "yes_no"),
                        "scale": q.get("scale"),
                        "weight": 0 if q.get("critical") else q.get("weight", 1),
                        "critical": bool(q.get("critical", False)),
                    }
                    for q in c["criteria"]
                ],
            }
            for c in data["categories"]
        ],
    }


def _plain(value: Any) -> Any:
    text = Text.of(value)
    return dict(text.translations) if text.translations else str(text)


def all_scorecards(hub: Hub) -> dict[str, dict[str, Any]]:
    """Every scorecard by id: shipped ones, replaced or joined by the workspace's."""
    found: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for path in [*shipped_files(), *workspace_files(hub)]:
        try:
            card = load_file(path)
        except ValidationError as exc:
            problems.extend(
                [f"{exc.summary} {p}" for p in exc.problems] if exc.problems else [exc.summary]
            )
            continue
        found[card["id"]] = card
    if problems:
        raise ValidationError("scorecards: fix these problems:", problems)
    return found


def get(hub: Hub, scorecard_id: str) -> dict[str, Any]:
    cards = all_scorecards(hub)
    if scorecard_id not in cards:
        raise NotFoundError(
            f"no scorecard {scorecard_id!r} (known: {', '.join(sorted(cards)) or 'none'})"
        )
    return cards[scorecard_id]


def for_channel(hub: Hub, channel: str) -> dict[str, Any]:
    """The scorecard for a ticket's channel: the one naming it, else ``written``."""
    cards = all_scorecards(hub)
    for card in cards.values():
        if channel and channel in card["channels"]:
            return card
    if "written" in cards:
        return cards["written"]
    return next(iter(cards.values()))


def criteria(scorecard: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Criterion id -> the criterion, with its category id under ``category``."""
    return {
        q["id"]: {**q, "category": c["id"]} for c in scorecard["categories"] for q in c["criteria"]
    }


def answer_problems(
    scorecard: Mapping[str, Any], answers: Mapping[str, Any], *, complete: bool
) -> list[Message]:
    """What is wrong with ``answers`` (criterion -> answer); ``complete``: all are needed.

    Each problem's ``where`` is the criterion id, so a page puts it beside the criterion.
    """
    known = criteria(scorecard)
    problems: list[Message] = []
    for qid, value in answers.items():
        criterion = known.get(qid)
        if criterion is None:
            problems.append(
                M_("not a criterion of scorecard %(card)r", where=qid, card=scorecard["id"])
            )
            continue
        if value is None or value == "":
            continue
        text = str(value).strip().lower()
        if criterion["type"] == "yes_no":
            if text not in ANSWERS:
                problems.append(M_("%(value)r is not yes, no or na", where=qid, value=value))
        elif text != "na":
            values = [p["value"] for p in scorecard["scales"][criterion["scale"]]["points"]]
            if text not in {str(v) for v in values}:
                shown = ", ".join(str(v) for v in values)
                problems.append(
                    M_(
                        "%(value)r is not one of %(values)s or na",
                        where=qid,
                        value=value,
                        values=shown,
                    )
                )
    if complete:
        for qid in known:
            if answers.get(qid) in (None, ""):
                problems.append(
                    M_(
                        "not answered (answer %(na)s where it does not apply)",
                        where=qid,
                        na="na",
                    )
                )
    return problems


def default_score(scorecard: Mapping[str, Any], answers: Mapping[str, Any]) -> TicketScore:
    """Weighted score over the answered criteria; a failed critical criterion fails all."""
    categories: dict[str, float] = {}
    overall_sum = overall_weight = 0.0
    failed: list[str] = []
    for category in scorecard["categories"]:
        total = weight = 0.0
        for criterion in category["criteria"]:
            raw = answers.get(criterion["id"])
            text = "" if raw is None else str(raw).strip().lower()
            if text in ("", "na"):
                continue
            if criterion["critical"]:
                if text == "no":
                    failed.append(criterion["id"])
                continue
            if criterion["type"] == "yes_no":
                fraction = 1.0 if text == "yes" else 0.0
            else:
                values = [p["value"] for p in scorecard["scales"][criterion["scale"]]["points"]]
                low, high = min(values), max(values)
                fraction = (float(text) - low) / (high - low)
            total += fraction * criterion["weight"]
            weight += criterion["weight"]
        if weight:
            categories[category["id"]] = round(100 * total / weight, 1)
            overall_sum += categories[category["id"]] * category["weight"]
            overall_weight += category["weight"]
    score = round(overall_sum / overall_weight, 1) if overall_weight else None
    if failed:
        return TicketScore(
            score=0.0, categories=categories, critical_failed=True, failed_criteria=tuple(failed)
        )
    return TicketScore(score=score, categories=categories)
