"""Credentials with levels, earned on evidence (KCS licences), and their coaches.

A credential (``credentials/*.yaml`` shipped with the plugin, or the workspace's
``credentials/`` folder, where the same id replaces a shipped one) has levels; each
level names

- the level it ``requires`` (the one below it),
- the ``courses`` to hold (a current completion),
- ``min_checked`` pieces of evidence of the credential's ``evidence`` kind within the
  last ``window_days`` days, each scoring at least ``min_score`` (the evidence comes
  through the ``credential_evidence`` hook; the quality plugin supplies checked
  knowledge articles),
- whether a coach's ``sign_off`` is needed.

A level is held once a coach assigned to the person signs it off, and a coach can sign
it off only when every other criterion is met: nothing is ever earned on a count of
articles. A held level whose evidence is no longer there (no qualifying check in the
window, or a course lapsed) is flagged for review, not silently kept.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import yaml

from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.loaders import load_yaml
from corehub.messages import M_
from corehub.models import Text

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import CredentialEvidence, Person
    from corehub_training_tracker.training import Training

FOLDER = "credentials"
LEVELS = "training_credential_levels"
COACHES = "training_coaches"
COACH_LOOKUP_MAX = 500
"""Above this many people, ``coach_table`` reads every coaching assignment at once."""
SESSIONS = "training_coaching_sessions"
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


@attrs.frozen(kw_only=True)
class Level:
    id: str
    title: Text
    requires: str | None = None
    courses: tuple[str, ...] = ()
    min_checked: int = 0
    min_score: float = 0.0
    window_days: int = 90
    sign_off: bool = True


@attrs.frozen(kw_only=True)
class Credential:
    id: str
    title: Text
    evidence: str = "article_check"
    tags: tuple[str, ...] = ()
    levels: tuple[Level, ...] = ()
    """In order from the first level up (each requires the one before)."""

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        known = ", ".join(lv.id for lv in self.levels)
        raise NotFoundError(
            M_(
                "credential %(credential)s has no level %(level)r (levels: %(known)s)",
                credential=self.id,
                level=level_id,
                known=known,
            )
        )


def shipped_files() -> list[Path]:
    folder = importlib.resources.files("corehub_training_tracker") / FOLDER
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))


def workspace_files(hub: Hub) -> list[Path]:
    if hub.workspace is None:
        return []
    folder = Path(hub.workspace) / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def _number(value: Any, where: str, problems: list[str], *, low: float, whole: bool) -> Any:
    wrong_kind = isinstance(value, bool) or not isinstance(value, int if whole else (int, float))
    if wrong_kind or value < low:
        kind = "a whole number" if whole else "a number"
        problems.append(f"{where}: {value!r} must be {kind} from {low:g}")
        return None
    return value


def parse(data: Any, name: str, courses: Iterable[str]) -> tuple[Credential | None, list[str]]:
    """A credential from a file's data, or None and every problem (each naming its field)."""
    known_courses = set(courses)
    problems: list[str] = []
    if not isinstance(data, dict):
        return None, [f"{name}: a credential is a mapping with id, title and levels"]
    cid = data.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        problems.append(f"{name}, id: {cid!r} must be lowercase letters, digits, - or _")
        cid = "?"
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.append(f"{name}, tags: a list of system or queue names")
        tags = []
    evidence = data.get("evidence", "article_check")
    if not isinstance(evidence, str) or not evidence:
        problems.append(f"{name}, evidence: the kind of evidence its levels count")
    raw_levels = data.get("levels")
    if not isinstance(raw_levels, list) or not raw_levels:
        problems.append(f"{name}, levels: a list of at least one level")
        raw_levels = []
    levels: dict[str, Level] = {}
    order: list[str] = []
    for n, raw in enumerate(raw_levels):
        where = f"{name}, levels[{n}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: a mapping with id, title, courses and criteria")
            continue
        lid = raw.get("id")
        if not isinstance(lid, str) or not _ID.match(lid):
            problems.append(f"{where}.id: {lid!r} must be lowercase letters, digits, - or _")
            continue
        where = f"{name}, levels.{lid}"
        if lid in levels:
            problems.append(f"{where}: id used twice")
            continue
        level_courses = raw.get("courses", [])
        if not isinstance(level_courses, list) or not all(
            isinstance(c, str) for c in level_courses
        ):
            problems.append(f"{where}.courses: a list of course ids")
            level_courses = []
        for course in level_courses:
            if course not in known_courses:
                problems.append(f"{where}.courses: unknown course {course!r}")
        requires = raw.get("requires")
        if requires is not None and not isinstance(requires, str):
            problems.append(f"{where}.requires: the id of another level")
            requires = None
        min_checked = _number(
            raw.get("min_checked", 0), f"{where}.min_checked", problems, low=0, whole=True
        )
        min_score = _number(
            raw.get("min_score", 0), f"{where}.min_score", problems, low=0, whole=False
        )
        window = _number(
            raw.get("window_days", 90), f"{where}.window_days", problems, low=1, whole=True
        )
        if isinstance(min_score, (int, float)) and min_score > 100:
            problems.append(f"{where}.min_score: {min_score!r} must be at most 100")
        sign_off = raw.get("sign_off", True)
        if not isinstance(sign_off, bool):
            problems.append(f"{where}.sign_off: true or false")
            sign_off = True
        if not level_courses and not min_checked and not sign_off:
            problems.append(f"{where}: names no course, no evidence and no sign-off")
        try:
            title = Text.of(raw.get("title", lid))
        except (TypeError, ValueError):
            problems.append(f"{where}.title: a text or a mapping of language to text")
            title = Text.of(lid)
        levels[lid] = Level(
            id=lid,
            title=title,
            requires=requires,
            courses=tuple(level_courses),
            min_checked=min_checked or 0,
            min_score=float(min_score or 0),
            window_days=window or 90,
            sign_off=sign_off,
        )
        order.append(lid)
    for lid, level in levels.items():
        if level.requires is not None and level.requires not in levels:
            problems.append(
                f"{name}, levels.{lid}.requires: unknown level {level.requires!r} "
                f"(levels: {', '.join(order)})"
            )
    problems.extend(f"{name}: {loop}" for loop in _loops(levels))
    roots = [lid for lid, lv in levels.items() if lv.requires is None]
    if levels and not problems and len(roots) != 1:
        problems.append(
            f"{name}, levels: exactly one level requires no other (found: {', '.join(roots)})"
        )
    if not problems:
        followers: dict[str, list[str]] = {}
        for lid, level in levels.items():
            if level.requires:
                followers.setdefault(level.requires, []).append(lid)
        branched = {k: v for k, v in followers.items() if len(v) > 1}
        for parent, children in branched.items():
            problems.append(
                f"{name}, levels: {', '.join(children)} all require {parent!r}; levels "
                "form one ladder"
            )
    if problems:
        return None, problems
    chain = [roots[0]]
    while True:
        nxt = [lid for lid, lv in levels.items() if lv.requires == chain[-1]]
        if not nxt:
            break
        chain.append(nxt[0])
    try:
        title = Text.of(data.get("title", cid))
    except (TypeError, ValueError):
        return None, [f"{name}, title: a text or a mapping of language to text"]
    return (
        Credential(
            id=cid,
            title=title,
            evidence=str(evidence),
            tags=tuple(tags),
            levels=tuple(levels[lid] for lid in chain),
        ),
        [],
    )


def _loops(levels: Mapping[str, Level]) -> list[str]:
    loops: list[str] = []
    seen: set[frozenset[str]] = set()
    for start in sorted(levels):
        path = [start]
        while True:
            nxt = levels[path[-1]].requires
            if nxt is None or nxt not in levels:
                break
            if nxt in path:
                cycle = [*path[path.index(nxt) :], nxt]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    loops.append(f"levels require each other in a circle: {' -> '.join(cycle)}")
                break
            path.append(nxt)
    return loops


def load(hub: Hub, courses: Iterable[str]) -> dict[str, Credential]:
    """Every credential by id (shipped, replaced or joined by the workspace's files)."""
    known = list(courses)
    paths = [*shipped_files(), *workspace_files(hub)]
    # read for every packet: parsed once while the files stay as they are
    key = (tuple(known), tuple(_stamp(path) for path in paths))
    cached = _loaded.get(key)
    if cached is not None:
        return dict(cached)
    found: dict[str, Credential] = {}
    problems: list[str] = []
    for path in paths:
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except (ValueError, yaml.YAMLError) as exc:
            problems.append(f"{path.name}: not valid YAML ({exc})")
            continue
        credential, found_problems = parse(data, path.name, known)
        problems.extend(found_problems)
        if credential is not None:
            found[credential.id] = credential
    if problems:
        raise ValidationError("credentials: fix these problems:", problems)
    if len(_loaded) >= 16:
        _loaded.clear()
    _loaded[key] = dict(found)
    return found


_loaded: dict[tuple[Any, ...], dict[str, Credential]] = {}


def _stamp(path: Path) -> tuple[str, int, int]:
    """A file's name, size and time of change: what says it was edited."""
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_size, stat.st_mtime_ns)


@attrs.frozen(kw_only=True)
class LevelState:
    """Where a person stands on one level: held or not, and what is missing."""

    level: str
    title: str
    held: bool
    earned_on: dt.date | None
    signed_off_by: str | None
    missing_courses: tuple[str, ...]
    qualifying: int
    """Evidence items in the window at or above the minimum score."""
    needed: int
    min_score: float
    window_days: int
    review: bool
    """Held, but its evidence is no longer there: a coach should review it."""

    @property
    def evidence_met(self) -> bool:
        return self.qualifying >= self.needed

    @property
    def ready(self) -> bool:
        """Everything but the coach's sign-off is there."""
        return not self.missing_courses and self.evidence_met


@attrs.frozen(kw_only=True)
class Standing:
    """A person's standing on a credential: their level, what the next needs, their coaches."""

    person_id: str
    name: str
    team: str | None
    credential: str
    level: str | None
    level_title: str
    earned_on: dt.date | None
    next_level: str | None
    next_title: str
    missing: tuple[str, ...]
    """What the next level still needs, in words."""
    ready_for_sign_off: bool
    review: tuple[str, ...]
    """Held levels flagged for review (their evidence went stale)."""
    coaches: tuple[str, ...]
    levels: tuple[LevelState, ...]


def _evidence(hub: Hub, person: Person, kind: str, since: dt.date) -> list[CredentialEvidence]:
    results = hub.hook.credential_evidence(hub=hub, person=person, kind=kind, since=since)
    return [e for items in results or [] for e in items or [] if e.kind == kind]


class Credentials:
    """Credentials, coaches and coaching sessions for one Hub."""

    def __init__(self, training: Training):
        self.training = training
        self.hub = training.hub

    @property
    def all(self) -> dict[str, Credential]:
        return load(self.hub, self.training.catalogue.courses)

    def credential(self, credential_id: str | None = None) -> Credential:
        found = self.all
        if credential_id is None:
            if len(found) == 1:
                return next(iter(found.values()))
            credential_id = "kcs"
        if credential_id not in found:
            raise NotFoundError(
                M_(
                    "no credential %(credential)r (known: %(known)s)",
                    credential=credential_id,
                    known=", ".join(sorted(found)) or "none",
                )
            )
        return found[credential_id]

    # -- coaches ------------------------------------------------------------------

    def coaches_of(self, person: Person) -> list[str]:
        rows = self.hub.db.query(
            f"SELECT DISTINCT coach_id FROM {COACHES} WHERE person_id = ? OR team = ? "
            "ORDER BY coach_id",
            [person.id, person.team or "\x00"],
        )
        return [r["coach_id"] for r in rows if r["coach_id"] != person.id]

    def coachees_of(self, coach_id: str) -> list[Person]:
        """The active people ``coach_id`` coaches (by name or by team; never themself), by
        team and name: one query, whatever the size of the organization."""
        from corehub.loaders import from_row
        from corehub.models import Person

        rows = self.hub.db.query(
            "SELECT * FROM people WHERE active = 1 AND id != :coach AND ("
            f"id IN (SELECT person_id FROM {COACHES} WHERE coach_id = :coach) OR "
            f"(team != '' AND team IN (SELECT team FROM {COACHES} WHERE coach_id = :coach))"
            ") ORDER BY team, name, id",
            {"coach": coach_id},
        )
        return [from_row(row, Person) for row in rows]

    def coach_table(self, people: Sequence[Person] | None = None) -> list[dict[str, Any]]:
        """Each coach with their coachees (by id), by coach.

        With ``people`` (a team's, say), only those people count as coachees and only their
        coaches are listed: the table is read once, not once per coach and person.
        """
        by_person: dict[str, set[str]] = {}
        by_team: dict[str, set[str]] = {}
        coaches: set[str] = set()
        rows: Iterable[dict[str, Any]]
        if people is None or len(people) > COACH_LOOKUP_MAX:
            rows = self.hub.db.query(f"SELECT coach_id, person_id, team FROM {COACHES}")
        else:
            # only the assignments naming these people or their teams (indexes of m007)
            ids = sorted({p.id for p in people})
            teams = sorted({p.team for p in people if p.team})
            rows = self.hub.db.query(
                f"SELECT coach_id, person_id, team FROM {COACHES} WHERE person_id IN "
                f"({', '.join('?' * len(ids))}) OR team IN ({', '.join('?' * len(teams))})",
                [*ids, *teams],
            )
        for r in rows:
            coaches.add(r["coach_id"])
            if r["person_id"]:
                by_person.setdefault(r["person_id"], set()).add(r["coach_id"])
            if r["team"]:
                by_team.setdefault(r["team"], set()).add(r["coach_id"])
        coachees: dict[str, list[str]] = {}
        for person in self.hub.people.list() if people is None else people:
            for coach in by_person.get(person.id, set()) | by_team.get(person.team or "", set()):
                if coach != person.id:
                    coachees.setdefault(coach, []).append(person.id)
        listed = sorted(coaches) if people is None else sorted(coachees)
        return [{"coach": c, "coachees": sorted(coachees.get(c, []))} for c in listed]

    def is_coach(self, person_id: str) -> bool:
        rows = list(
            self.hub.db.query(f"SELECT 1 FROM {COACHES} WHERE coach_id = ? LIMIT 1", [person_id])
        )
        return bool(rows)

    def assign_coach(
        self, coach_id: str, *, person_ids: Sequence[str] = (), team: str | None = None
    ) -> int:
        """Make ``coach_id`` a coach of these people or of a team (managers and HR do this)."""
        coach = self.training.person(coach_id)
        if not person_ids and team is None:
            raise ValidationError(M_("name the coachees: give --person or --team"))
        targets: list[dict[str, Any]] = []
        problems = []
        for pid in person_ids:
            person = self.hub.people.find(pid)
            if person is None:
                problems.append(M_("unknown person %(id)r", id=pid))
            elif person.id == coach.id:
                problems.append(M_("%(id)s cannot coach themselves", id=pid))
            else:
                self.training.require_may_manage(person)
                targets.append({"person_id": person.id, "team": None})
        if team is not None:
            members = self.hub.people.list(team=team)
            if not members:
                problems.append(M_("no active people in team %(team)r", team=team))
            for member in members:
                if member.id != coach.id:
                    self.training.require_may_manage(member)
            targets.append({"person_id": None, "team": team})
        if problems:
            raise ValidationError(M_("no coach was assigned:"), problems)
        added = 0
        with self.hub.atomic() as db:
            for target in targets:
                exists = list(
                    db.query(
                        f"SELECT 1 FROM {COACHES} WHERE coach_id = ? AND person_id IS ? "
                        "AND team IS ?",
                        [coach.id, target["person_id"], target["team"]],
                    )
                )
                if exists:
                    continue
                db.table(COACHES).insert(
                    {
                        "coach_id": coach.id,
                        **target,
                        "assigned_on": self.training.today.isoformat(),
                        "assigned_by": self.hub.actor,
                    }
                )
                added += 1
            self.hub.audit.record(
                "training.coach_assigned",
                COACHES,
                coach.id,
                after={"people": list(person_ids), "team": team},
            )
        return added

    # -- standing -----------------------------------------------------------------

    def _held(self, person_id: str, credential_id: str) -> dict[str, dict[str, Any]]:
        return {
            r["level_id"]: dict(r)
            for r in self.hub.db.query(
                f"SELECT * FROM {LEVELS} WHERE person_id = ? AND credential_id = ?",
                [person_id, credential_id],
            )
        }

    def level_state(
        self, person: Person, credential: Credential, level: Level, held: Mapping[str, Any] | None
    ) -> LevelState:
        today = self.training.today
        missing_courses = tuple(
            c for c in level.courses if not self.training.holds(person.id, c, on=today)
        )
        qualifying = 0
        if level.min_checked:
            since = today - dt.timedelta(days=level.window_days)
            qualifying = sum(
                1
                for e in _evidence(self.hub, person, credential.evidence, since)
                if e.score is not None and e.score >= level.min_score and e.day <= today
            )
        state = LevelState(
            level=level.id,
            title=str(level.title),
            held=held is not None,
            earned_on=dt.date.fromisoformat(held["earned_on"]) if held else None,
            signed_off_by=held["coach_id"] if held else None,
            missing_courses=missing_courses,
            qualifying=qualifying,
            needed=level.min_checked,
            min_score=level.min_score,
            window_days=level.window_days,
            review=False,
        )
        if held is not None and not state.ready:
            state = attrs.evolve(state, review=True)
        return state

    def standing(self, person: Person, credential: Credential, locale: str = "en") -> Standing:
        held = self._held(person.id, credential.id)
        states: list[LevelState] = []
        current: LevelState | None = None
        following: LevelState | None = None
        for level in credential.levels:
            state = self.level_state(person, credential, level, held.get(level.id))
            state = attrs.evolve(state, title=level.title.get(locale))
            states.append(state)
            if state.held and following is None:
                current = state
            elif following is None:
                following = state
        missing: list[str] = []
        if following is not None:
            for course in following.missing_courses:
                missing.append(f"course {course}")
            if not following.evidence_met:
                missing.append(
                    f"{following.needed - following.qualifying} more checked "
                    f"article(s) scoring {following.min_score:g}+ in {following.window_days} days"
                )
            missing.append("a coach's sign-off")
        return Standing(
            person_id=person.id,
            name=person.name,
            team=person.team,
            credential=credential.id,
            level=current.level if current else None,
            level_title=current.title if current else "",
            earned_on=current.earned_on if current else None,
            next_level=following.level if following else None,
            next_title=following.title if following else "",
            missing=tuple(missing),
            ready_for_sign_off=bool(following and following.ready),
            review=tuple(s.level for s in states if s.review),
            coaches=tuple(self.coaches_of(person)),
            levels=tuple(states),
        )

    def standings(
        self, people: Iterable[Person], credential_id: str | None = None, locale: str = "en"
    ) -> list[Standing]:
        credential = self.credential(credential_id)
        return [
            self.standing(p, credential, locale)
            for p in sorted(people, key=lambda p: (p.team or "", p.name, p.id))
        ]

    def tag_holders(self, team: str | None = None) -> dict[str, dict[str, set[str]]]:
        """tag -> team -> people holding a level (not under review) of a credential with the
        tag; with ``team``, that team's people only (a team summary reads its own team)."""
        found: dict[str, dict[str, set[str]]] = {}
        tagged = [c for c in self.all.values() if c.tags]
        if not tagged:
            return found
        for credential in tagged:  # every tag a credential carries, held by anyone or not
            for tag in credential.tags:
                found.setdefault(tag, {})
        for person in self.hub.people.list(team=team):
            for credential in tagged:
                standing = self.standing(person, credential)
                if standing.level is None or standing.level in standing.review:
                    continue
                for tag in credential.tags:
                    found.setdefault(tag, {}).setdefault(person.team or "", set()).add(person.id)
        return found

    # -- signing off ----------------------------------------------------------------

    def sign_off(
        self,
        person_id: str,
        level_id: str,
        *,
        credential_id: str | None = None,
        coach_id: str | None = None,
        note: str = "",
    ) -> LevelState:
        """A coach of the person grants a level whose other criteria are all met."""
        coach = coach_id or self.hub.actor
        person = self.training.person(person_id)
        credential = self.credential(credential_id)
        level = credential.level(level_id)
        if coach == person.id:
            raise PermissionDeniedError(M_("nobody signs off their own level"))
        if coach not in self.coaches_of(person):
            raise PermissionDeniedError(
                M_(
                    "%(coach)s is not a coach of %(person)s; only their coaches sign off a "
                    "level (assign one with `corehub training coach assign`)",
                    coach=coach,
                    person=person.id,
                )
            )
        held = self._held(person.id, credential.id)
        if level.id in held:
            raise ValidationError(
                M_(
                    "%(person)s holds %(level)s already (since %(day)s)",
                    person=person.id,
                    level=level.id,
                    day=held[level.id]["earned_on"],
                )
            )
        problems = []
        if level.requires and level.requires not in held:
            problems.append(M_("the level below, %(level)s, is not held yet", level=level.requires))
        state = self.level_state(person, credential, level, None)
        for course in state.missing_courses:
            problems.append(
                M_("course %(course)s is not completed (or has expired)", course=course)
            )
        if not state.evidence_met:
            problems.append(
                M_(
                    "%(have)s of %(need)s checked articles in the last %(days)s days score "
                    "%(score)s or more",
                    have=state.qualifying,
                    need=state.needed,
                    days=state.window_days,
                    score=f"{state.min_score:g}",
                )
            )
        if problems:
            raise ValidationError(
                M_(
                    "%(person)s cannot be signed off for %(level)s yet:",
                    person=person.id,
                    level=level.id,
                ),
                problems,
            )
        today = self.training.today
        since = today - dt.timedelta(days=level.window_days)
        evidence = [
            {"ref": e.ref, "score": e.score, "day": e.day.isoformat(), "source": e.source}
            for e in _evidence(self.hub, person, credential.evidence, since)
            if e.score is not None and e.score >= level.min_score
        ]
        with self.hub.atomic() as db:
            db.table(LEVELS).insert(
                {
                    "person_id": person.id,
                    "credential_id": credential.id,
                    "level_id": level.id,
                    "earned_on": today.isoformat(),
                    "coach_id": coach,
                    "note": note,
                    "evidence": json.dumps(evidence, ensure_ascii=False),
                }
            )
            self.hub.audit.record(
                "training.level_signed_off",
                LEVELS,
                f"{person.id}:{credential.id}:{level.id}",
                after={"coach": coach, "evidence": evidence},
            )
        return self.level_state(
            person, credential, level, self._held(person.id, credential.id)[level.id]
        )

    # -- coaching sessions ------------------------------------------------------------

    def log_session(
        self,
        person_id: str,
        *,
        day: dt.date,
        notes: str,
        next_steps: str = "",
        coach_id: str | None = None,
    ) -> int:
        coach = coach_id or self.hub.actor
        person = self.training.person(person_id)
        if coach not in self.coaches_of(person):
            raise PermissionDeniedError(
                M_(
                    "%(coach)s is not a coach of %(person)s; only their coaches log sessions",
                    coach=coach,
                    person=person.id,
                )
            )
        if not notes.strip():
            raise ValidationError(M_("a coaching session needs notes"))
        with self.hub.atomic() as db:
            row_id = (
                db.table(SESSIONS)
                .insert(
                    {
                        "coach_id": coach,
                        "person_id": person.id,
                        "day": day.isoformat(),
                        "notes": notes.strip(),
                        "next_steps": next_steps.strip(),
                        "created_at": self.hub.clock.now().isoformat(),
                    }
                )
                .last_pk
            )
            self.hub.audit.record(
                "training.coaching_logged", SESSIONS, str(row_id), after={"person": person.id}
            )
        return int(str(row_id))

    def sessions(self, person_id: str, *, viewer: str | None = None) -> list[dict[str, Any]]:
        """The person's coaching sessions: seen by the person, their coaches, managers and HR."""
        from corehub import access

        person = self.hub.people.find(person_id)
        if person is None:
            raise NotFoundError(M_("no person with id %(id)r", id=person_id))
        who = access.viewer(self.hub)
        actor = viewer or who.actor
        if actor not in (person.id, *self.coaches_of(person)) and not access.may_see_person(
            self.hub, who, person.id
        ):
            raise PermissionDeniedError(
                M_(
                    "%(actor)s may not see the coaching of %(person)s",
                    actor=actor,
                    person=person.id,
                )
            )
        return [
            dict(r)
            for r in self.hub.db.query(
                f"SELECT * FROM {SESSIONS} WHERE person_id = ? ORDER BY day, id", [person.id]
            )
        ]
