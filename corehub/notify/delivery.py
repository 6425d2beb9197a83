"""Delivering messages: SMTP when configured, else ``.eml`` files in the outbox folder."""

from __future__ import annotations

import email.utils
import os
import re
from email.message import EmailMessage
from typing import TYPE_CHECKING

from corehub.models import Notification

if TYPE_CHECKING:
    from corehub.hub import Hub

PASSWORD_ENV = "COREHUB_SMTP_PASSWORD"


def to_email(hub: Hub, notification: Notification) -> EmailMessage:
    message = EmailMessage()
    message["From"] = hub.config.smtp.sender
    message["To"] = notification.to
    message["Subject"] = notification.subject
    message["Date"] = email.utils.format_datetime(hub.clock.now())
    message["Message-ID"] = email.utils.make_msgid(domain="corehub.invalid")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(notification.text)
    if notification.html:
        message.add_alternative(notification.html, subtype="html")
    return message


def send_smtp(hub: Hub, notification: Notification) -> str:
    """Send through the configured SMTP server; raises on any failure."""
    import smtplib

    smtp = hub.config.smtp
    message = to_email(hub, notification)
    client: smtplib.SMTP
    if smtp.ssl:
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_s)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_s)
    with client:
        if smtp.starttls and not smtp.ssl:
            client.starttls()
        if smtp.username:
            client.login(smtp.username, os.environ.get(PASSWORD_ENV, ""))
        client.send_message(message)
    return f"smtp:{smtp.host}"


def write_outbox(hub: Hub, notification: Notification) -> str:
    """Write the message as an ``.eml`` file (temporary name, then renamed)."""
    outbox = hub.path("outbox")
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = hub.clock.now().strftime("%Y%m%dT%H%M%S")
    safe = re.sub(r"[^\w.-]", "_", notification.recipient_id)
    target = outbox / f"{stamp}-{safe}-{notification.kind}.eml"
    n = 1
    while target.exists():
        n += 1
        target = outbox / f"{stamp}-{safe}-{notification.kind}-{n}.eml"
    from corehub.outputs import write_output

    with write_output(hub, target, overwrite=False) as tmp:
        tmp.write_bytes(bytes(to_email(hub, notification)))
    return f"outbox:{target.name}"
