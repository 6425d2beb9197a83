"""Where calibration stands: scopes, the sessions held over a cycle, and whether a manager
review may be released (the reviews library asks it; the rest of calibration reads reviews).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corehub.errors import ValidationError
from corehub.messages import M_, Message
from corehub.models import Cycle, Level, Person
from corehub_self_assessment.storage import SESSIONS

if TYPE_CHECKING:
    from corehub import Hub


def parse_scope(text: str) -> tuple[str, str | None]:
    """``all``, ``team:T`` or ``level:L`` as ``(kind, value)``."""
    text = (text or "all").strip()
    if text == "all":
        return "all", None
    kind, _, value = text.partition(":")
    if kind in ("team", "level") and value.strip():
        value = value.strip()
        if kind == "level" and value not in {lvl.value for lvl in Level}:
            raise ValidationError(
                M_(
                    "unknown level %(level)r in scope %(scope)r: use one of %(levels)s",
                    level=value,
                    scope=text,
                    levels=", ".join(lvl.value for lvl in Level),
                )
            )
        return kind, value
    raise ValidationError(
        M_("unknown calibration scope %(scope)r: use all, team:T or level:L", scope=text)
    )


def scope_text(kind: str, value: str | None) -> str:
    return "all" if kind == "all" else f"{kind}:{value}"


def in_scope(person: Person, scope: str) -> bool:
    kind, value = parse_scope(scope)
    if kind == "all":
        return True
    if kind == "team":
        return person.team == value
    return str(person.level) == value


def sessions(hub: Hub, cycle: Cycle) -> list[dict[str, Any]]:
    return list(
        hub.db.query(f"SELECT * FROM [{SESSIONS}] WHERE cycle_id = ? ORDER BY id", [cycle.id])
    )


def release_refusal(hub: Hub, cycle: Cycle, person_id: str) -> Message | None:
    """Why the manager review of ``person_id`` may not be released yet, or None."""
    if not cycle.calibrate:
        return None
    person = hub.people.get(person_id)
    covering = [s for s in sessions(hub, cycle) if in_scope(person, s["scope"])]
    still_open = [s for s in covering if s["status"] == "open"]
    if still_open:
        return M_(
            "the manager's review of %(person)s cannot be released while the calibration "
            "session for %(scope)s is open; HR or a director closes it with: corehub cycle "
            "calibrate close --cycle %(quoted)s --scope %(scope)s",
            person=person_id,
            scope=still_open[0]["scope"],
            quoted=f'"{cycle.name}"',
        )
    if not covering:
        return M_(
            "cycle %(cycle)r has a calibration step: the manager's review of %(person)s is "
            "released once a calibration session over them has been held and closed",
            cycle=cycle.name,
            person=person_id,
        )
    return None


# -- adjustments ----------------------------------------------------------------
