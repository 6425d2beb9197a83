"""Giving, storing and listing feedback (praise, suggestions, concerns, upward, pulse...).

Every write happens in one transaction together with the ``feedback_received`` hook.
Anonymous feedback is stored without author, time of day or audit event (an event's
sequential id would place it between other, timed events), under a random id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.forms import COMPETENCIES, competency_label
from corehub.loaders import dumps, from_row
from corehub.messages import M_
from corehub.models import Anonymity, Feedback
from corehub_feedback import access, kinds
from corehub_feedback.anonymity import generalise_groups
from corehub_feedback.settings import settings_of

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.i18n import Translator
    from corehub.models import Cycle, Person

_TAG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_TAGS = 8


@attrs.frozen(kw_only=True)
class Response:
    """An answer to a suggestion: the status change and the reasoning."""

    from_status: str
    to_status: str
    text: str
    responder_id: str
    responded_at: dt.datetime


@attrs.frozen(kw_only=True)
class Item:
    """One stored piece of feedback, as the acting person may see it."""

    id: int
    kind: str
    recipient_id: str | None
    author_id: str | None
    anonymous: bool
    given_on: dt.date
    text: str = ""
    rating: float | None = None
    tags: tuple[str, ...] = ()
    cycle_id: int | None = None
    status: str | None = None
    answers: dict[str, str] | None = None
    responses: tuple[Response, ...] = ()

    def to_feedback(self) -> Feedback:
        return Feedback(
            id=self.id,
            kind=self.kind,
            recipient_id=self.recipient_id,
            author_id=self.author_id,
            anonymous=self.anonymous,
            given_on=self.given_on,
            text=self.text,
            rating=self.rating,
            cycle_id=self.cycle_id,
        )


def new_id(hub: Hub) -> int:
    """A random 9-digit id not yet used: ids say nothing about order or time."""
    while True:
        candidate = 100_000_000 + secrets.randbelow(900_000_000)
        if not hub.db.execute("SELECT 1 FROM feedback WHERE id = ?", [candidate]).fetchone():
            return candidate


def announce(hub: Hub, items: Sequence[Item]) -> None:
    """Tell the plugins that ``items`` were stored, inside the storing transaction:
    ``feedback_received_batch`` once for all of them, ``feedback_received`` once per item
    for a plugin that implements only that; nothing is built when no plugin listens."""
    if items and hub.hook.implemented("feedback_received_batch", "feedback_received"):
        hub.hook.call_batched(
            batched="feedback_received_batch",
            single="feedback_received",
            many="items",
            one="feedback",
            items=[item.to_feedback() for item in items],
            hub=hub,
        )


def new_ids(hub: Hub, count: int) -> list[int]:
    """``count`` random 9-digit ids, distinct and not yet used, found with one keyed
    lookup per 500 ids (not one query per id)."""
    chosen: set[int] = set()
    while len(chosen) < count:
        fresh = {
            100_000_000 + secrets.randbelow(900_000_000) for _ in range(count - len(chosen))
        } - chosen
        for chunk in _chunks(sorted(fresh), 500):
            used = hub.db.execute(
                "SELECT id FROM feedback WHERE id IN ({})".format(", ".join("?" * len(chunk))),
                chunk,
            ).fetchall()
            fresh -= {row[0] for row in used}
        chosen |= fresh
    return list(chosen)


def _chunks(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def clean_text(hub: Hub, text: str | None, what: str, *, required: bool) -> str:
    """``text`` stripped; ``what`` (``M_("the text")``) names it in the errors."""
    text = (text or "").strip()
    limit = settings_of(hub).max_text_length
    if required and not text:
        raise ValidationError(M_("%(what)s is empty: say something", what=what))
    if len(text) > limit:
        raise ValidationError(
            M_(
                "%(what)s is %(length)s characters long; the limit is %(limit)s",
                what=what,
                length=len(text),
                limit=limit,
                hint="settings.feedback.max_text_length",
            )
        )
    return text


def check_rating(kind: str, rating: float | None) -> float | None:
    scale = kinds.rating_scale(kind)
    if rating is None:
        if scale is not None and scale.required:
            raise ValidationError(
                M_(
                    "%(kind)s feedback needs a rating from %(low)s to %(high)s",
                    kind=kinds.kind_word(kind),
                    low=scale.low,
                    high=scale.high,
                )
            )
        return None
    if scale is None:
        raise ValidationError(M_("%(kind)s feedback takes no rating", kind=kinds.kind_word(kind)))
    if float(rating) != int(rating) or not scale.low <= rating <= scale.high:
        raise ValidationError(
            M_(
                "rating %(rating)s is not a whole number from %(low)s to %(high)s",
                rating=f"{rating:g}",
                low=scale.low,
                high=scale.high,
            )
        )
    return float(rating)


def check_tags(tags: Iterable[str]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(t.strip().lower() for t in tags if t.strip()))
    bad = [t for t in cleaned if not _TAG.match(t)]
    if bad:
        raise ValidationError(
            M_("tags are short lowercase words (letters, digits, _ and -):"),
            [repr(t) for t in bad],
        )
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(
            M_("at most %(limit)s tags, not %(count)s", limit=MAX_TAGS, count=len(cleaned))
        )
    return cleaned


def tag_competency(tag: str) -> str | None:
    """The competency key a tag names (``Active-Listening`` -> ``active_listening``), if any."""
    key = "_".join(tag.strip().lower().replace("-", " ").replace("_", " ").split())
    return key if key in COMPETENCIES else None


def tag_label(tag: str, t: Translator | None = None) -> str:
    """A tag as people read it: a competency's label in ``t``'s language, else the tag."""
    key = tag_competency(tag)
    return competency_label(key, t) if key else tag


RECIPIENT = M_("recipient")


def active_person(hub: Hub, person_id: str, role: str = RECIPIENT) -> Person:
    """The active person ``person_id``; ``role`` (``M_("recipient")``) names them in errors."""
    person = hub.people.find(person_id)
    if person is None:
        raise NotFoundError(M_("%(role)s %(id)r is not a known person", role=role, id=person_id))
    if not person.active:
        raise ValidationError(M_("%(role)s %(id)r is no longer active", role=role, id=person_id))
    return person


def open_cycle(hub: Hub, cycle: str | int | None) -> Cycle:
    """The named cycle (it must be open), or the only open cycle."""
    from corehub.models import CycleStatus

    if cycle is not None:
        return hub.cycles.ensure_writable(cycle)
    open_cycles = hub.cycles.list(status=CycleStatus.OPEN)
    if not open_cycles:
        raise ValidationError(M_("no cycle is open", hint="name the cycle with --cycle"))
    if len(open_cycles) > 1:
        raise ValidationError(
            M_(
                "several cycles are open: %(names)s",
                names=", ".join(c.name for c in open_cycles),
                hint="name the cycle with --cycle",
            )
        )
    return open_cycles[0]


def pulse_cohort(hub: Hub, person: Person) -> str | None:
    """The answerer's team, kept only when it points to at least ``threshold`` people."""
    threshold = settings_of(hub).anonymity_threshold
    sizes: dict[str, int] = {}
    for someone in hub.people.list():
        sizes[someone.team or ""] = sizes.get(someone.team or "", 0) + 1
    return generalise_groups(sizes, threshold).get(person.team or "") or None


def give(
    hub: Hub,
    *,
    kind: str,
    text: str | None = None,
    to: str | None = None,
    rating: float | None = None,
    tags: Iterable[str] = (),
    anonymous: bool = False,
    cycle: str | int | None = None,
    actor: str | None = None,
    on: dt.date | None = None,
) -> Item:
    """Store feedback from the acting person; every problem is an error and nothing is written."""
    author = access.viewer(hub, actor).require_person(M_("giving feedback"))
    kind_record = kinds.get_kind(hub, kind)
    if kind in kinds.GIVEN_ELSEWHERE:
        raise ValidationError(kinds.GIVEN_ELSEWHERE[kind])
    if kind_record.anonymity is Anonymity.ALWAYS:
        anonymous = True
    elif anonymous and kind_record.anonymity is Anonymity.NEVER:
        raise ValidationError(
            M_("%(kind)s feedback cannot be anonymous", kind=kinds.kind_word(kind))
        )
    recipient: Person | None = None
    if kind == kinds.UPWARD:
        to = to or author.manager_id
        if not to:
            raise ValidationError(M_("upward feedback is about your manager, and you have none"))
        if to != author.manager_id:
            raise PermissionDeniedError(
                M_(
                    "upward feedback is about your own manager (%(manager)s), not %(to)r",
                    manager=author.manager_id,
                    to=to,
                )
            )
    kind_word = kinds.kind_word(kind)
    if kind_record.needs_recipient:
        if not to:
            raise ValidationError(
                M_("%(kind)s feedback needs a recipient", kind=kind_word, hint="--to PERSON")
            )
        recipient = active_person(hub, to)
        if recipient.id == author.id:
            raise ValidationError(
                M_("%(kind)s feedback cannot be given to yourself", kind=kind_word)
            )
    elif to:
        raise ValidationError(
            M_("%(kind)s feedback has no recipient", kind=kind_word, hint="leave out --to")
        )
    text_required = kind not in (kinds.PULSE, kinds.UPWARD)
    body = clean_text(hub, text, M_("the text"), required=text_required)
    score = check_rating(kind, rating)
    if kind == kinds.UPWARD and score is None and not body:
        raise ValidationError(M_("upward feedback needs a rating (1-5), a text, or both"))
    tag_list = check_tags(tags)
    if tag_list and kind != kinds.PRAISE and kind in kinds.RATING_SCALES:
        raise ValidationError(M_("only praise takes competency tags"))
    cycle_id = None
    today = on or hub.clock.today()
    if kind in (kinds.PULSE, kinds.UPWARD) and today != hub.clock.today():
        # an answer dated back could land in a month or cycle whose results are out
        raise ValidationError(
            M_("%(kind)s answers are given on their day, never dated back", kind=kind_word)
        )
    if kind == kinds.UPWARD or cycle is not None:
        the_cycle = open_cycle(hub, cycle)
        if kind == kinds.UPWARD:
            require_window_open(the_cycle, kind, today)
        cycle_id = the_cycle.id
    once = survey_period(kind, today, cycle_id)
    with hub.atomic() as db:
        if once is not None:
            mark_answered(hub, kind, once, author.id)
        row: dict[str, Any] = {
            "id": new_id(hub),
            "kind": kind,
            "recipient_id": recipient.id if recipient else None,
            "author_id": None if anonymous else author.id,
            "anonymous": 1 if anonymous else 0,
            "given_on": today.isoformat(),
            "given_at": None if anonymous else hub.clock.now().isoformat(),
            "text": body,
            "rating": score,
            "tags": dumps(list(tag_list)),
            "cycle_id": cycle_id,
            "cohort": pulse_cohort(hub, author) if kind == kinds.PULSE else None,
            "status": "new" if kind == kinds.SUGGESTION else None,
        }
        db.table("feedback").insert(row)
        item = _to_item(row)
        if not anonymous:
            hub.audit.record(
                "feedback.given",
                "feedback",
                item.id,
                actor=author.id,
                cycle_id=cycle_id,
                after={"kind": kind, "recipient": item.recipient_id},
            )
        announce(hub, [item])
    return item


def require_window_open(cycle: Cycle, kind: str, day: dt.date) -> None:
    """Refuse a ``kind`` (peer, upward) answer in ``cycle`` after its due date for ``kind``.

    Results are published once the window has closed; an answer after that would change
    a published figure, and the change would give the answer away.
    """
    due = cycle.due_for(kind)
    if day > due:
        raise ValidationError(
            M_(
                "%(kind)s feedback in %(cycle)r closed on %(due)s; its results are published "
                "and no answer can change them",
                kind=kinds.kind_word(kind),
                cycle=cycle.name,
                due=due,
            )
        )


# -- one answer per person and period (pulse: a month; upward: a cycle) ------------------


def survey_period(kind: str, day: dt.date, cycle_id: int | None) -> str | None:
    """The period in which ``kind`` takes one answer per person, or None (any number)."""
    if kind == kinds.PULSE:
        return day.strftime("%Y-%m")
    if kind == kinds.UPWARD and cycle_id is not None:
        return f"cycle {cycle_id}"
    return None


def _answered_token(hub: Hub, kind: str, period: str, person_id: str) -> str:
    from corehub.access import derived_key

    key = derived_key(hub, b"corehub feedback answered")
    message = f"{kind}|{period}|{person_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def has_answered(hub: Hub, kind: str, period: str, person_id: str) -> bool:
    """Whether ``person_id`` already answered ``kind`` in ``period`` (not what they said:
    nothing, corehub included, can tell which answer is theirs)."""
    token = _answered_token(hub, kind, period, person_id)
    return bool(
        hub.db.execute("SELECT 1 FROM feedback_answered WHERE token = ?", [token]).fetchone()
    )


def mark_answered(hub: Hub, kind: str, period: str, person_id: str) -> None:
    """Record that ``person_id`` answered, in the caller's transaction; a second answer in
    the same period is refused."""
    token = _answered_token(hub, kind, period, person_id)
    try:
        hub.db.execute("INSERT INTO feedback_answered (token) VALUES (?)", [token])
    except sqlite3.IntegrityError:
        if kind == kinds.PULSE:
            raise ValidationError(
                M_(
                    "you have already answered this month's pulse survey; an answer cannot "
                    "be changed, because nobody can tell which one is yours"
                )
            ) from None
        raise ValidationError(
            M_(
                "you have already given upward feedback in this cycle; it cannot be changed, "
                "because nobody can tell which answer is yours"
            )
        ) from None


# -- reading -------------------------------------------------------------------------


def get(hub: Hub, feedback_id: int) -> Item:
    rows = list(hub.db.query("SELECT * FROM feedback WHERE id = ?", [feedback_id]))
    if not rows:
        raise NotFoundError(M_("no feedback with id %(id)s", id=feedback_id))
    return _with_responses(hub, [_to_item(rows[0])])[0]


def can_review_suggestions(hub: Hub, who: access.Viewer) -> bool:
    if who.sees_everything:
        return True
    reviewers = settings_of(hub).suggestion_reviewers
    return who.id in reviewers or access.is_manager(hub, who.id or "")


def visible(hub: Hub, who: access.Viewer, item: Item) -> bool:
    """Whether ``who`` may read ``item`` one by one (aggregate-only kinds: never)."""
    if item.kind in kinds.AGGREGATE_ONLY:
        return False
    if who.sees_everything:
        return True
    me = who.id
    if item.kind == kinds.PRAISE:
        return True
    if item.kind == kinds.SUGGESTION:
        return item.anonymous or me == item.author_id or can_review_suggestions(hub, who)
    above = item.recipient_id is not None and access.manages(hub, me or "", item.recipient_id)
    if item.kind == kinds.CONCERN:
        return me == item.author_id or above
    if item.kind == kinds.CUSTOMER:
        return me == item.recipient_id or above
    return me in (item.author_id, item.recipient_id) or above


HELD_BACK = "NOT (anonymous = 1 AND given_on >= ?)"
"""SQL (one parameter: today) that leaves out anonymous feedback given today.

Anonymous feedback read one by one (suggestions, an organization's own anonymous kinds)
is listed, counted and answered from the day after it was given, together with the rest
of its day: shown at once, its appearance between two readings of the list would tell
who had just sent it (the person seen at the form).
"""


def is_held_back(hub: Hub, item: Item) -> bool:
    """Whether ``item`` is anonymous feedback of today, not shown to anyone yet."""
    return item.anonymous and item.given_on >= hub.clock.today()


def list_feedback(
    hub: Hub,
    *,
    actor: str | None = None,
    to: str | None = None,
    kind: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    status: str | None = None,
    limit: int | None = None,
    involving: str | None = None,
) -> list[Item]:
    """The feedback the acting person may read, newest day first (anonymous suggestions
    from the day after they were given: :data:`HELD_BACK`); with ``involving``, only what
    that person gave (with their name) or received."""
    who = access.viewer(hub, actor)
    if kind is not None:
        kinds.get_kind(hub, kind)
        if kind in kinds.AGGREGATE_ONLY:
            raise ValidationError(
                M_(
                    "%(kind)s feedback is only shown as results at the anonymity threshold",
                    kind=kinds.kind_word(kind),
                    hint="see corehub feedback summary",
                )
            )
    where = ["kind NOT IN ({})".format(", ".join("?" * len(kinds.AGGREGATE_ONLY))), HELD_BACK]
    params: list[Any] = [*sorted(kinds.AGGREGATE_ONLY), hub.clock.today().isoformat()]
    for clause, value in (
        ("recipient_id = ?", to),
        ("+kind = ?" if involving else "kind = ?", kind),  # "+": by person, not by kind
        ("given_on >= ?", since.isoformat() if since else None),
        ("given_on <= ?", until.isoformat() if until else None),
        ("status = ?", status),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    if involving is not None:
        # by the author and the recipient indexes (not by kind and every row of it)
        where.append(
            "id IN (SELECT id FROM feedback WHERE author_id = ? "
            "UNION ALL SELECT id FROM feedback WHERE recipient_id = ?)"
        )
        params += [involving, involving]
    sql = f"SELECT * FROM feedback WHERE {' AND '.join(where)} ORDER BY given_on DESC, kind, id"
    items = [_to_item(row) for row in hub.db.query(sql, params)]
    shown = [i for i in items if visible(hub, who, i)]
    if limit is not None:
        shown = shown[:limit]
    return _with_responses(hub, shown)


def _with_responses(hub: Hub, items: list[Item]) -> list[Item]:
    suggestions = [i.id for i in items if i.kind == kinds.SUGGESTION]
    if not suggestions:
        return items
    by_id: dict[int, list[Response]] = {}
    sql = "SELECT * FROM feedback_responses WHERE feedback_id IN ({}) ORDER BY id".format(
        ", ".join("?" * len(suggestions))
    )
    for row in hub.db.query(sql, suggestions):
        by_id.setdefault(row["feedback_id"], []).append(
            Response(
                from_status=row["from_status"],
                to_status=row["to_status"],
                text=row["text"],
                responder_id=row["responder_id"],
                responded_at=dt.datetime.fromisoformat(row["responded_at"]),
            )
        )
    return [attrs.evolve(i, responses=tuple(by_id.get(i.id, ()))) for i in items]


def _to_item(row: dict[str, Any]) -> Item:
    return from_row({**row, "text": row["text"] or ""}, Item, json_columns=("tags", "answers"))


def item_json(hub: Hub, item: Item) -> dict[str, Any]:
    """Plain data for ``--json`` and templates."""
    data: dict[str, Any] = hub.unstructure(item)
    return data
