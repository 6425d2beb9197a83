"""``corehub remind``: digests, escalation, anonymity, idempotency, real SMTP on loopback."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import attrs
import pytest

from corehub import Hub, hookimpl
from corehub.models import Reminder, TaskKind, TaskSpec
from tests.loopback import LoopbackSMTP, refused_port


class Tasks:
    """Self-assessment, manager review after it, and an anonymous upward survey."""

    @hookimpl
    def register_task_kinds(self, hub):
        return [TaskKind(name=kind) for kind in ("self", "manager", "upward")]

    @hookimpl
    def cycle_tasks(self, hub, cycle, person):
        specs = [TaskSpec(kind="self", assignee_id=person.id, title="Self-assessment")]
        if person.manager_id:
            specs.append(
                TaskSpec(
                    kind="manager",
                    assignee_id=person.manager_id,
                    after=("self",),
                    title="Manager review",
                )
            )
            specs.append(
                TaskSpec(
                    kind="upward",
                    assignee_id=person.id,
                    subject_id=person.manager_id,
                    title="Upward survey",
                    private=True,
                )
            )
        return specs


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def by_recipient(self):
        return {tuple(rcpt): msg for rcpt, msg in self.messages}


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = LoopbackSMTP(inbox)
    controller.start()
    yield controller, inbox
    controller.stop()


def toml_value(value):
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return str(value)


def configure(workspace, **sections):
    """Set keys in corehub.toml's sections, replacing the values ``corehub init`` wrote."""
    lines = (workspace / "corehub.toml").read_text().splitlines()
    for name, values in sections.items():
        start = lines.index(f"[{name}]")
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines)
        )
        for key, value in values.items():
            new = f"{key} = {toml_value(value)}"
            at = next(
                (i for i in range(start + 1, end) if lines[i].split("=")[0].strip() == key), None
            )
            if at is None:
                lines.insert(start + 1, new)
                end += 1
            else:
                lines[at] = new
    (workspace / "corehub.toml").write_text("\n".join(lines) + "\n")


@pytest.fixture
def org(hub, register_plugin, make_people, workspace, clock):
    register_plugin(Tasks(), name="tasks")
    make_people(team="nord", agents=2)
    make_people(rows=[{"id": "hr-1", "name": "Helle HR", "email": "hr@example.org"}])
    hub.cycles.create(
        "H1",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        due={
            "self": dt.date(2026, 3, 5),
            "manager": dt.date(2026, 3, 20),
            "upward": dt.date(2026, 3, 5),
        },
    )
    hub.cycles.open("H1")
    return hub


def reopen(hub, workspace, clock, **sections):
    """The same workspace with changed configuration, as the next command would see it."""
    configure(workspace, **sections)
    return Hub(workspace, plugin_manager=hub.pm, clock=clock, actor="test-admin")


def test_dry_run_shows_each_digest_and_sends_nothing(org, cli, workspace):
    result = cli("remind", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "--- to nord-01: corehub reminder: 2 to do" in result.stdout
    assert "- Self-assessment (H1): due 2026-03-05" in result.stdout
    assert "- Upward survey (Nord Lead (H1)): due 2026-03-05" in result.stdout
    assert "Manager review" not in result.stdout  # waits for the self-assessment
    assert "4 planned" in result.stdout
    assert not (workspace / "outbox").exists() or not list((workspace / "outbox").iterdir())


def test_digests_go_through_smtp_once_a_day(org, smtp, workspace, clock):
    controller, inbox = smtp
    hub = reopen(
        org,
        workspace,
        clock,
        smtp={
            "host": "127.0.0.1",
            "port": controller.port,
            "starttls": False,
            "sender": "desk@example.org",
        },
    )
    from corehub.testing import run_cli

    first = run_cli(hub, "remind")
    assert first.exit_code == 0, first.output
    assert "4 sent" in first.stdout
    mail = inbox.by_recipient()
    assert set(mail) == {
        ("nord-01@example.org",),
        ("nord-02@example.org",),
        ("nord-lead@example.org",),
        ("hr@example.org",),
    }
    message = mail[("nord-01@example.org",)]
    assert message["From"] == "desk@example.org"
    assert message["Subject"] == "corehub reminder: 2 to do"
    text = message.get_body(("plain",)).get_content()
    assert "Hello Nord Agent 1," in text and "Self-assessment (H1): due 2026-03-05" in text
    html = message.get_body(("html",)).get_content()
    assert "<td" in html and "Self-assessment" in html

    again = run_cli(hub, "remind")
    assert "4 skipped" in again.stdout and len(inbox.messages) == 4

    clock.advance(days=1)
    assert "4 sent" in run_cli(hub, "remind").stdout
    assert len(inbox.messages) == 8
    hub.close()


def test_escalation_reaches_manager_then_hr_but_never_for_anonymous_surveys(org, workspace, clock):
    hub = reopen(org, workspace, clock, organization={"hr": ["hr-1"]})
    from corehub.notify import collect, plan

    clock.set("2026-03-09")  # 4 days late: the manager is told, HR not yet
    digests = {d.recipient.id: d for d in plan(hub, clock.today(), collect(hub, clock.today()))}
    lead = digests["nord-lead"]
    assert sorted((i.person.id, i.reminder.title) for i in lead.reports) == [
        ("nord-01", "Self-assessment"),
        ("nord-02", "Self-assessment"),
    ]
    assert (
        digests["hr-1"].escalated == ()
    )  # HR has their own self-assessment, nothing escalated yet

    clock.set("2026-03-16")  # 11 days late: HR too
    digests = {d.recipient.id: d for d in plan(hub, clock.today(), collect(hub, clock.today()))}
    hr_titles = {(i.person.id, i.reminder.title) for i in digests["hr-1"].escalated}
    assert ("nord-01", "Self-assessment") in hr_titles
    everything_others_see = [i for d in digests.values() for i in d.reports + d.escalated]
    assert all(i.reminder.title != "Upward survey" for i in everything_others_see)
    own = {i.reminder.title for i in digests["nord-01"].own}
    assert "Upward survey" in own  # the person alone is reminded of it
    hub.close()


def test_a_failed_send_is_reported_not_marked_sent_and_retried(org, smtp, workspace, clock):
    controller, inbox = smtp
    from corehub.testing import run_cli

    with refused_port() as port:
        dead = reopen(
            org,
            workspace,
            clock,
            smtp={"host": "127.0.0.1", "port": port, "starttls": False, "timeout_s": 2},
        )
        failed = run_cli(dead, "remind")
    assert failed.exit_code == 1
    assert "4 reminder(s) could not be sent; they will be retried on the next run" in failed.stderr
    statuses = {row[0] for row in dead.db.execute("SELECT status FROM notifications_sent")}
    assert statuses == {"failed"}
    dead.close()
    alive = reopen(org, workspace, clock, smtp={"port": controller.port})
    assert "4 sent" in run_cli(alive, "remind").stdout
    assert len(inbox.messages) == 4
    alive.close()


def test_without_smtp_messages_land_in_the_outbox(org, cli, workspace):
    result = cli("remind")
    assert result.exit_code == 0, result.output
    files = sorted((workspace / "outbox").glob("*.eml"))
    assert len(files) == 4
    parsed = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert {m["To"] for m in parsed} == {
        "nord-01@example.org",
        "nord-02@example.org",
        "nord-lead@example.org",
        "hr@example.org",
    }
    assert not list((workspace / "outbox").glob(".*.part"))


def test_plugins_add_reminders_and_replace_delivery(org, cli, register_plugin, clock):
    sent = []

    class Training:
        @hookimpl
        def extra_reminders(self, hub, today):
            return [
                Reminder(
                    key="assignment:1",
                    person_id="nord-02",
                    category="training",
                    title="Complaint handling",
                    due=today + dt.timedelta(days=2),
                    about="course",
                )
            ]

    class Chat:
        @hookimpl
        def send_notification(self, hub, notification):
            sent.append(notification)
            return "chat"

    register_plugin(Training(), name="training")
    register_plugin(Chat(), name="chat")
    result = cli("remind", "--training", "--json")
    assert result.exit_code == 0, result.output
    assert [(o["recipient"], o["status"]) for o in result.json()] == [("nord-02", "sent")]
    assert len(sent) == 1 and "Complaint handling (course): due 2026-03-04" in sent[0].text
    only_cycle = cli("remind", "--cycle", "H1", "--dry-run", "--json").json()
    assert {o["recipient"] for o in only_cycle} == {"nord-01", "nord-02", "nord-lead", "hr-1"}
    assert all("Complaint" not in o["detail"] for o in only_cycle)


def test_the_organization_overrides_the_message_template(org, cli, workspace):
    override = workspace / "templates" / "corehub" / "reminders" / "digest.txt"
    override.parent.mkdir(parents=True)
    override.write_text("Hej {{ recipient.name }}! {{ own | length }} ting at gøre.\n")
    result = cli("remind", "--dry-run")
    assert "Hej Nord Agent 1! 2 ting at gøre." in result.stdout


def test_people_without_email_are_reported(org, cli, make_people):
    make_people(
        rows=[{"id": "noemail", "name": "No Mail", "team": "nord", "manager_id": "nord-lead"}]
    )
    org.cycles.open("H1")
    result = cli("remind", "--dry-run", "--json")
    assert {
        "recipient": "noemail",
        "status": "failed",
        "subject": "",
        "detail": "no email address",
    } in result.json()
    assert attrs.has(Reminder)


def test_the_text_digest_reads_well(org, workspace, clock):
    hub = reopen(org, workspace, clock, organization={"hr": ["hr-1"]})
    from corehub.notify import collect, compose, plan

    clock.set("2026-03-09")
    digests = {d.recipient.id: d for d in plan(hub, clock.today(), collect(hub, clock.today()))}
    text = compose(hub, digests["nord-lead"], clock.today()).text
    assert text == (
        "Hello Nord Lead,\n"
        "\n"
        "What you have to do:\n"
        "- Self-assessment (H1): 4 days overdue (due 2026-03-05)\n"
        "\n"
        "Overdue in your team (more than 3 days late):\n"
        "- Self-assessment (H1), Nord Agent 1: 4 days overdue (due 2026-03-05)\n"
        "- Self-assessment (H1), Nord Agent 2: 4 days overdue (due 2026-03-05)\n"
        "\n"
        "This reminder is sent by corehub for Test help desk (2026-03-09)."
    )
    hub.close()
