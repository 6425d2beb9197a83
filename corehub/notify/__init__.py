"""Reminders and escalation: nobody misses a review or an expiring certification.

``corehub remind`` gathers what is due soon or overdue (open cycle tasks from the core,
anything else from plugins' ``extra_reminders``) and sends one digest per recipient:

- each person gets what they must do, due within ``reminders.due_soon_days`` or late;
- once an item is ``copy_manager_after_days`` late, the person's manager also gets it;
- once it is ``copy_hr_after_days`` late, so does HR (``organization.hr``).

Items marked ``escalate=False`` (anything that would show who has not answered an
anonymous survey) reach nobody but the person. Sending is idempotent: a digest already
sent to a recipient on the same day with the same content is not sent again; a failed
send is recorded as failed, reported, and tried again on the next run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from corehub.models import Notification, Person, Reminder

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.i18n import Translator

TEXT_TEMPLATE = "corehub/reminders/digest.txt"
HTML_TEMPLATE = "corehub/reminders/digest.html"


@attrs.frozen
class Item:
    """A reminder as one recipient sees it."""

    reminder: Reminder
    person: Person
    """Who must act."""
    days_late: int
    """Days past the due date; 0 or less means not late yet."""

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


@attrs.frozen
class Digest:
    """Everything one recipient is told in one message."""

    recipient: Person
    own: tuple[Item, ...]
    """What the recipient must do."""
    reports: tuple[Item, ...]
    """Late items of the people they manage."""
    escalated: tuple[Item, ...]
    """Very late items HR is told of."""

    @property
    def items(self) -> tuple[Item, ...]:
        return self.own + self.reports + self.escalated


@attrs.frozen
class Outcome:
    recipient_id: str
    status: str
    """``sent``, ``skipped`` (sent already today), ``failed`` or ``planned`` (dry run)."""
    subject: str
    detail: str = ""


def collect(
    hub: Hub,
    today: dt.date,
    *,
    categories: Iterable[str] | None = None,
    cycle_id: int | None = None,
) -> list[Reminder]:
    """Every reminder the core and plugins give for ``today``, filtered by category and cycle."""
    wanted = set(categories) if categories else None
    found = []
    for _plugin, reminders in hub.hook.extra_reminders.collect(hub=hub, today=today):
        for reminder in reminders:
            if wanted is not None and reminder.category not in wanted:
                continue
            if (
                cycle_id is not None
                and reminder.category == "cycle"
                and reminder.cycle_id != cycle_id
            ):
                continue
            found.append(reminder)
    return found


def plan(hub: Hub, today: dt.date, reminders: Iterable[Reminder]) -> list[Digest]:
    """Who is told what: one digest per recipient, following the escalation ladder."""
    settings = hub.config.reminders
    people = {p.id: p for p in hub.people.list() if not p.has_left(today)}
    hr = [people[i] for i in hub.config.organization.hr if i in people]
    own: dict[str, list[Item]] = {}
    reports: dict[str, list[Item]] = {}
    escalated: dict[str, list[Item]] = {}
    seen: set[tuple[str, str]] = set()
    for reminder in sorted(reminders, key=lambda r: (r.due, r.key)):
        person = people.get(reminder.person_id)
        if person is None or (reminder.key, person.id) in seen:
            continue
        seen.add((reminder.key, person.id))
        days_late = (today - reminder.due).days
        if days_late < -settings.due_soon_days:
            continue
        item = Item(reminder=reminder, person=person, days_late=days_late)
        own.setdefault(person.id, []).append(item)
        if not reminder.escalate:
            continue
        manager = people.get(person.manager_id or "")
        if manager is not None and days_late >= settings.copy_manager_after_days:
            reports.setdefault(manager.id, []).append(item)
        if days_late >= settings.copy_hr_after_days:
            for hr_person in hr:
                if hr_person.id not in (person.id, manager.id if manager else None):
                    escalated.setdefault(hr_person.id, []).append(item)
    recipients = sorted(set(own) | set(reports) | set(escalated))
    return [
        Digest(
            recipient=people[r],
            own=tuple(own.get(r, ())),
            reports=tuple(reports.get(r, ())),
            escalated=tuple(escalated.get(r, ())),
        )
        for r in recipients
    ]


def subject_for(digest: Digest, t: Translator | None = None) -> str:
    """The subject line, in ``t``'s language (the recipient's when composed)."""
    from corehub import i18n

    t = t or i18n.active()
    late = sum(1 for item in digest.own if item.overdue)
    parts = []
    if digest.own:
        todo = t.ngettext("%(n)d to do", "%(n)d to do", len(digest.own)) % {"n": len(digest.own)}
        if late:
            todo += ", " + t.ngettext("%(n)d overdue", "%(n)d overdue", late) % {"n": late}
        parts.append(todo)
    others = len(digest.reports) + len(digest.escalated)
    if others:
        if digest.escalated:
            text = t.ngettext("%(n)d overdue in your teams", "%(n)d overdue in your teams", others)
        else:
            text = t.ngettext("%(n)d overdue in your team", "%(n)d overdue in your team", others)
        parts.append(text % {"n": others})
    return t.gettext("corehub reminder: %(what)s") % {"what": "; ".join(parts)}


def compose(hub: Hub, digest: Digest, today: dt.date) -> Notification:
    """The message for a digest, from the (overridable) reminder templates, in the recipient's
    language (else the organization's)."""
    from corehub import i18n
    from corehub.render.environment import build_environment

    env = build_environment(hub)
    t = i18n.translator(hub, digest.recipient.locale)
    context = {
        "organization": hub.config.organization.name,
        "today": today.isoformat(),
        "recipient": hub.unstructure(digest.recipient),
        "language": t.language,
        "own": [_plain(hub, i, t) for i in digest.own],
        "reports": [_plain(hub, i, t) for i in digest.reports],
        "escalated": [_plain(hub, i, t) for i in digest.escalated],
        "settings": hub.unstructure(hub.config.reminders),
    }
    with i18n.activate(t):
        text = env.overlay(autoescape=False).get_template(TEXT_TEMPLATE).render(context)
        html = env.get_template(HTML_TEMPLATE).render(context)
        subject = subject_for(digest, t)
    return Notification(
        recipient_id=digest.recipient.id,
        to=digest.recipient.email,
        subject=subject,
        text=text,
        html=html,
    )


def _plain(hub: Hub, item: Item, t: Translator) -> dict[str, object]:
    return {
        "title": t.label(item.reminder.title),
        "about": t.text(item.reminder.about),
        "due": item.reminder.due.isoformat(),
        "days_late": item.days_late,
        "overdue": item.overdue,
        "person": item.person.name,
        "category": item.reminder.category,
    }


def content_hash(notification: Notification) -> str:
    digest = hashlib.sha256()
    for part in (notification.to, notification.subject, notification.text, notification.html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def remind(
    hub: Hub,
    *,
    categories: Iterable[str] | None = None,
    cycle_id: int | None = None,
    dry_run: bool = False,
) -> list[Outcome]:
    """Send today's digests (or, with ``dry_run``, say what would be sent)."""
    today = hub.clock.today()
    outcomes = []
    for digest in plan(hub, today, collect(hub, today, categories=categories, cycle_id=cycle_id)):
        if not digest.recipient.email:
            outcomes.append(Outcome(digest.recipient.id, "failed", "", "no email address"))
            continue
        message = compose(hub, digest, today)
        fingerprint = content_hash(message)
        if _already_sent(hub, today, message.recipient_id, fingerprint):
            outcomes.append(
                Outcome(message.recipient_id, "skipped", message.subject, "sent earlier today")
            )
            continue
        if dry_run:
            outcomes.append(Outcome(message.recipient_id, "planned", message.subject, message.text))
            continue
        try:
            channel = hub.hook.send_notification(hub=hub, notification=message)
        except Exception as exc:  # any delivery failure is recorded, reported and retried later
            _record(hub, today, message.recipient_id, fingerprint, "failed", None, str(exc))
            outcomes.append(Outcome(message.recipient_id, "failed", message.subject, str(exc)))
            continue
        _record(hub, today, message.recipient_id, fingerprint, "sent", channel, None)
        outcomes.append(Outcome(message.recipient_id, "sent", message.subject, channel or ""))
    return outcomes


def _already_sent(hub: Hub, day: dt.date, recipient_id: str, fingerprint: str) -> bool:
    row = hub.db.execute(
        "SELECT 1 FROM notifications_sent WHERE day = ? AND recipient_id = ? AND digest_hash = ? "
        "AND status = 'sent'",
        [day.isoformat(), recipient_id, fingerprint],
    ).fetchone()
    return row is not None


def _record(
    hub: Hub,
    day: dt.date,
    recipient_id: str,
    fingerprint: str,
    status: str,
    channel: str | None,
    error: str | None,
) -> None:
    with hub.atomic() as db:
        db.table("notifications_sent").insert(
            {
                "day": day.isoformat(),
                "recipient_id": recipient_id,
                "digest_hash": fingerprint,
                "status": status,
                "channel": channel,
                "error": error,
                "at": hub.clock.now().isoformat(),
            }
        )
