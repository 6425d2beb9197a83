"""Sign-in links sent by email through a real SMTP server on loopback."""

from __future__ import annotations

import email
import re
from email import policy

import pytest

from corehub import Hub
from corehub.testing import run_cli
from tests.loopback import LoopbackSMTP


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = LoopbackSMTP(inbox)
    controller.start()
    yield controller.port, inbox
    controller.stop()


def with_smtp(hub: Hub, port: int) -> Hub:
    config = hub.workspace / "corehub.toml"
    text = config.read_text().replace('host = ""', 'host = "127.0.0.1"', 1)
    text = text.replace("port = 587", f"port = {port}", 1).replace(
        "starttls = true", "starttls = false", 1
    )
    config.write_text(text)
    return Hub(hub.workspace, plugin_manager=hub.pm, clock=hub.clock, actor=hub.actor)


def test_invitations_are_mailed_and_their_link_signs_in(hub, cycle, smtp, browser):
    port, inbox = smtp
    mailing = with_smtp(hub, port)
    result = run_cli(
        mailing,
        "people",
        "invite",
        "--team",
        "alpha",
        "--send",
        "--base-url",
        "https://desk.example.org",
    )
    assert result.exit_code == 0, result.output
    assert "/sign-in/" not in result.stdout  # links go to each person only, never to the terminal
    recipients = sorted(rcpt for rcpt, _ in inbox.messages)
    assert recipients == sorted([p.email] for p in hub.people.list(team="alpha"))
    message = next(m for r, m in inbox.messages if r == ["alpha-01@example.org"])
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"https://desk\.example\.org(/sign-in/\S+)", body)
    assert link, body
    assert "It works once and expires in 7 days" in body
    html = message.get_body(("html",)).get_content()
    assert f'href="https://desk.example.org{link.group(1)}"' in html
    client = browser(None).client
    assert client.get(link.group(1)).status_code == 200
    token = link.group(1).rsplit("/", 1)[1]
    stored = [row[0] for row in hub.db.execute("SELECT token_hash FROM sign_in_tokens")]
    assert token not in stored  # only a hash is kept
    mailing.close()


@pytest.mark.parametrize(
    ("lang", "subject", "words"),
    [
        ("es", "Tu enlace de acceso a", "Funciona una sola vez y caduca en 7 días"),
        ("da", "Dit login-link til", "Det virker én gang og udløber om 7 dage"),
        ("sv", "Din inloggningslänk till", "Den fungerar en gång och går ut om 7 dagar"),
    ],
)
def test_an_invitation_is_written_in_the_persons_language(hub, cycle, smtp, lang, subject, words):
    import attrs

    port, inbox = smtp
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), locale=lang)])
    mailing = with_smtp(hub, port)
    result = run_cli(mailing, "people", "invite", "--person", "alpha-01", "--send", "--days", "7")
    assert result.exit_code == 0, result.output
    [(_rcpt, message)] = inbox.messages
    assert message["Subject"].startswith(subject)
    body = message.get_body(("plain",)).get_content()
    assert words in body and "/sign-in/" in body
    assert "It works once" not in body and "Do not forward" not in body
    html = message.get_body(("html",)).get_content()
    assert f'<html lang="{lang}">' in html and words in html
    mailing.close()
