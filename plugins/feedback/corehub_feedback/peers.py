"""Peer feedback in a cycle: naming peers, and each peer's short form.

At least as many peers as the anonymity threshold must be named (and ``peers_min``,
``peers_max`` bound it further): asking fewer could never show anything, so it is
refused when asked, with the reason. The guarantee itself is never lowered.

Peer feedback is confidential, not anonymous: corehub keeps who answered (their cycle
task must be completed and they answer once), but no command, file or report shows
it. The person sees their peers' ratings and comments only as a group, only once at
least ``anonymity_threshold`` peers have answered, and only after the cycle's peer due
date (then no more answers are taken, so the results never change).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.errors import CorehubError, PermissionDeniedError, ValidationError
from corehub.loaders import dumps
from corehub.messages import M_, N_
from corehub.models import TaskSpec, TaskStatus
from corehub_feedback import access, kinds
from corehub_feedback.settings import settings_of
from corehub_feedback.store import (
    Item,
    _to_item,
    active_person,
    announce,
    check_rating,
    clean_text,
    new_id,
    require_window_open,
)

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Task

PLUGIN = "feedback"


def request_peers(
    hub: Hub,
    *,
    cycle: str | int,
    person: str,
    peers: list[str],
    actor: str | None = None,
) -> list[Task]:
    """Ask ``peers`` for feedback on ``person`` in ``cycle``: each gets a ``peer`` task.

    Refused once the cycle's peer feedback has closed (its due date for ``peer`` is past).
    """
    who = access.viewer(hub, actor)
    subject = active_person(hub, person, M_("person"))
    if not access.can_see_person(hub, who, subject.id):
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not name peers for %(person)s: only they, their managers and HR can",
                actor=who.actor,
                person=subject.id,
            )
        )
    settings = settings_of(hub)
    names = [p.strip() for p in peers if p.strip()]
    problems: list[str] = []
    duplicates = sorted({p for p in names if names.count(p) > 1})
    if duplicates:
        problems.append(M_("named twice: %(ids)s", ids=", ".join(duplicates)))
    for peer_id in dict.fromkeys(names):
        found = hub.people.find(peer_id)
        if found is None:
            problems.append(M_("%(id)r is not a known person", id=peer_id))
        elif not found.active:
            problems.append(M_("%(id)r is no longer active", id=peer_id))
        elif peer_id == subject.id:
            problems.append(M_("%(id)r cannot give peer feedback on themself", id=peer_id))
    the_cycle = hub.cycles.get(cycle)
    require_window_open(the_cycle, kinds.PEER, hub.clock.today())
    existing = {
        t.assignee_id
        for t in hub.cycles.tasks(the_cycle, kind=kinds.PEER, subject_id=subject.id)
        if t.status is not TaskStatus.CANCELLED
    }
    total = len(existing | set(names))
    needed = settings.anonymity_threshold
    if total < needed:
        problems.append(
            M_(
                "peer feedback is shown only once %(threshold)s peers have answered (the "
                "anonymity threshold), so name at least %(threshold)s; this makes %(total)s",
                threshold=needed,
                total=total,
            )
        )
    elif not settings.peers_min <= total <= settings.peers_max:
        low, high = settings.peers_min, settings.peers_max
        if existing:
            problems.append(
                M_(
                    "name %(min)s to %(max)s peers in all; this makes %(total)s "
                    "(%(asked)s already asked)",
                    min=low,
                    max=high,
                    total=total,
                    asked=len(existing),
                )
            )
        else:
            problems.append(
                M_(
                    "name %(min)s to %(max)s peers in all; this makes %(total)s",
                    min=low,
                    max=high,
                    total=total,
                )
            )
    if problems:
        raise ValidationError(
            M_("no peers were asked for feedback on %(person)s:", person=subject.id), problems
        )
    specs = [
        TaskSpec(kind=kinds.PEER, assignee_id=p, subject_id=subject.id)
        for p in dict.fromkeys(names)
    ]
    with hub.atomic():
        tasks = hub.cycles.add_tasks(the_cycle, subject, specs, plugin=PLUGIN)
        hub.audit.record(
            "feedback.peers_requested",
            "person",
            subject.id,
            actor=who.actor,
            cycle_id=the_cycle.id,
            after={"peers": sorted(set(names))},
        )
    return tasks


def peer_progress(
    hub: Hub, *, cycle: str | int, person: str, actor: str | None = None
) -> dict[str, int | bool | None]:
    """How far a person's peer feedback is: peers ``asked``, how many ``answered``, the
    anonymity ``threshold``, the answers ``still_needed`` before anything is shown, and
    whether it ``can_show`` at all (enough peers asked). Counts only, never who answered.

    Seen by the person, their managers and HR (those who may name the peers). The person
    sees how many were asked, never the running count of answers: a count that moves while
    answers come in would tell them when a peer they know answered.
    """
    who = access.viewer(hub, actor)
    subject = hub.people.get(person)
    if not access.can_see_person(hub, who, subject.id):
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not see the peer feedback of %(person)s",
                actor=who.actor,
                person=subject.id,
            )
        )
    the_cycle = hub.cycles.get(cycle)
    tasks = [
        t
        for t in hub.cycles.tasks(the_cycle, kind=kinds.PEER, subject_id=subject.id)
        if t.status is not TaskStatus.CANCELLED
    ]
    answered = sum(1 for t in tasks if t.status is TaskStatus.DONE)
    needed = settings_of(hub).anonymity_threshold
    own = who.actor == subject.id
    return {
        "asked": len(tasks),
        "answered": None if own else answered,
        "threshold": needed,
        "still_needed": None if own else max(needed - answered, 0),
        "can_show": len(tasks) >= needed,
    }


def submit_peer(
    hub: Hub,
    *,
    cycle: str | int,
    about: str,
    rating: float | None,
    keep_doing: str | None = None,
    improve: str | None = None,
    actor: str | None = None,
) -> Item:
    """Store the acting peer's form about ``about`` and complete their task, together.

    Refused after the cycle's due date for ``peer``: results are published from the next
    day and must not change.
    """
    peer = access.viewer(hub, actor).require_person(M_("giving peer feedback"))
    the_cycle = hub.cycles.ensure_writable(cycle)
    require_window_open(the_cycle, kinds.PEER, hub.clock.today())
    task = hub.cycles.task(the_cycle, kinds.PEER, peer.id, about)
    if task.status is not TaskStatus.OPEN:
        already = (
            N_("your peer feedback on %(person)s in %(cycle)r is already done")
            if task.status is TaskStatus.DONE
            else N_("your peer feedback on %(person)s in %(cycle)r is already cancelled")
        )
        raise CorehubError(M_(already, person=about, cycle=the_cycle.name))
    score = check_rating(kinds.PEER, rating)
    keep = clean_text(hub, keep_doing, M_("what to keep doing"), required=False)
    better = clean_text(hub, improve, M_("what to improve"), required=False)
    if not (keep or better):
        raise ValidationError(M_("say what to keep doing, what to improve, or both"))
    with hub.atomic() as db:
        row = {
            "id": new_id(hub),
            "kind": kinds.PEER,
            "recipient_id": about,
            "author_id": peer.id,
            "anonymous": 0,
            "given_on": hub.clock.today().isoformat(),
            "given_at": hub.clock.now().isoformat(),
            "text": "",
            "rating": score,
            "tags": "[]",
            "answers": dumps({"keep_doing": keep, "improve": better}),
            "cycle_id": the_cycle.id,
        }
        db.table("feedback").insert(row)
        item = _to_item(row)
        hub.cycles.complete_task(task, by=peer.id)
        announce(hub, [item])
    return item
