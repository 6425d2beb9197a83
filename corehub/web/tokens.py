"""Personal sign-in links: random tokens, stored only as SHA-256 hashes, expiring, single use.

``corehub people invite`` creates them; the web app redeems them. Nothing here imports Flask.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from corehub.errors import PermissionDeniedError, ValidationError
from corehub.keys import SECRET_KEY_ENV as SECRET_KEY_ENV
from corehub.keys import SECRET_KEY_FILE as SECRET_KEY_FILE
from corehub.keys import secret_key as secret_key
from corehub.messages import M_

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Notification, Person

TABLE = "sign_in_tokens"
DEFAULT_DAYS = 7
KEEP_SPENT = dt.timedelta(days=30)
"""How long a used or expired link's row is kept (for the audit of who signed in when)."""


@attrs.frozen
class Invitation:
    person: Person
    url: str
    expires_at: dt.datetime
    days: int = DEFAULT_DAYS


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite(
    hub: Hub, people: Iterable[Person], *, base_url: str, days: int = DEFAULT_DAYS
) -> list[Invitation]:
    """A new sign-in link for each active person, in one transaction."""
    if days < 1 or days > 90:
        raise ValidationError(M_("a sign-in link lasts 1 to 90 days, not %(days)s", days=days))
    if not base_url.startswith(("http://", "https://")):
        raise ValidationError(
            M_("--base-url %(url)r must start with http:// or https://", url=base_url)
        )
    today = hub.clock.today()
    chosen = [p for p in people if p.active and not p.has_left(today)]
    if not chosen:
        raise ValidationError(M_("nobody to invite: no active person matches"))
    now = hub.clock.now()
    expires = now + dt.timedelta(days=days)
    found: list[Invitation] = []
    with hub.atomic() as db:
        # Links used or expired a month ago are of no use to anyone: the table stays small.
        db.execute(
            f"DELETE FROM {TABLE} WHERE coalesce(used_at, expires_at) < ?",
            [(now - KEEP_SPENT).isoformat()],
        )
        for person in chosen:
            token = secrets.token_urlsafe(32)
            db.table(TABLE).insert(
                {
                    "person_id": person.id,
                    "token_hash": token_hash(token),
                    "created_at": now.isoformat(),
                    "expires_at": expires.isoformat(),
                    "created_by": hub.actor,
                }
            )
            url = f"{base_url.rstrip('/')}/sign-in/{token}"
            found.append(Invitation(person=person, url=url, expires_at=expires, days=days))
        hub.audit.record(
            "web.invited",
            "people",
            ",".join(p.id for p in chosen)[:500],
            after={"count": len(chosen), "days": days},
        )
    return found


INVITATION_TEXT = "corehub/invitations/invitation.txt"
INVITATION_HTML = "corehub/invitations/invitation.html"


def invitation_message(
    hub: Hub, invitation: Invitation, *, fallback_locale: str | None = None
) -> Notification:
    """The email carrying ``invitation``'s link, in the recipient's language (else
    ``fallback_locale``, e.g. the language of the page that asked for it, else the
    organization's), from the overridable ``corehub/invitations/`` templates."""
    from corehub import i18n
    from corehub.models import Notification
    from corehub.render.environment import build_environment

    env = build_environment(hub)
    t = i18n.translator(hub, invitation.person.locale or fallback_locale)
    organization = hub.config.organization.name
    context = {
        "recipient": hub.unstructure(invitation.person),
        "organization": organization,
        "url": invitation.url,
        "expires": invitation.expires_at.date().isoformat(),
        "days": invitation.days,
        "language": t.language,
    }
    with i18n.activate(t):
        text = env.overlay(autoescape=False).get_template(INVITATION_TEXT).render(context)
        html = env.get_template(INVITATION_HTML).render(context)
        subject = M_("Your sign-in link to %(organization)s", organization=organization).translated(
            t
        )
    return Notification(
        recipient_id=invitation.person.id,
        to=invitation.person.email,
        subject=subject,
        text=text,
        html=html,
        kind="invitation",
    )


def redeem(hub: Hub, token: str) -> str:
    """The person id the token signs in; the token is used up. Errors say why it failed."""
    digest = token_hash(token or "")
    refused = PermissionDeniedError(
        M_(
            "This sign-in link is not valid: it may have been used already or expired. "
            "Ask for a new one."
        )
    )
    with hub.atomic() as db:
        rows = list(db.query(f"SELECT * FROM {TABLE} WHERE token_hash = ?", [digest]))
        if not rows or not hmac.compare_digest(rows[0]["token_hash"], digest):
            raise refused
        row = rows[0]
        now = hub.clock.now()
        if row["used_at"] is not None or dt.datetime.fromisoformat(row["expires_at"]) <= now:
            raise refused
        person = hub.people.find(row["person_id"])
        if person is None or not person.active or person.has_left(now.date()):
            raise refused
        updated = db.execute(
            f"UPDATE {TABLE} SET used_at = ? WHERE id = ? AND used_at IS NULL",
            [now.isoformat(), row["id"]],
        ).rowcount
        if updated != 1:
            raise refused
        hub.audit.record("web.signed_in", "person", person.id, actor=person.id)
        return person.id
