"""Giving and listing feedback through the CLI and the library, with visibility rules."""

from __future__ import annotations

from typing import Any

import pytest

from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub_feedback import store


def test_praise_through_the_cli_is_listed_for_everyone(org: Any, cli: Any) -> None:
    result = cli(
        "--as",
        "alpha-01",
        "feedback",
        "give",
        "--kind",
        "praise",
        "--to",
        "alpha-02",
        "--text",
        "Calm with an angry caller",
        "--tag",
        "Active_listening",
    )
    assert result.exit_code == 0, result.output
    listed = cli("--as", "beta-01", "feedback", "list", "--json").json()
    assert [(i["kind"], i["author_id"], i["recipient_id"], i["tags"]) for i in listed] == [
        ("praise", "alpha-01", "alpha-02", ["active_listening"])
    ]
    assert listed[0]["text"] == "Calm with an angry caller"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "nobody", "--text", "x"], "'nobody' is not a known person"),
        (["--to", "alpha-01", "--text", "x"], "cannot be given to yourself"),
        (["--to", "alpha-02", "--text", "   "], "empty"),
        (["--to", "alpha-02", "--text", "x" * 2001], "2001 characters long; the limit is 2000"),
        (["--to", "alpha-02", "--text", "x", "--anonymous"], "cannot be anonymous"),
        (["--to", "alpha-02", "--text", "x", "--rating", "4"], "takes no rating"),
    ],
)
def test_bad_praise_is_refused_and_nothing_is_stored(
    org: Any, cli: Any, args: list[str], message: str
) -> None:
    result = cli("--as", "alpha-01", "feedback", "give", "--kind", "praise", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert org.db["feedback"].count == 0


def test_feedback_to_an_inactive_person_is_refused(org: Any) -> None:
    import attrs

    leaver = org.people.get("alpha-06")
    org.people.save([attrs.evolve(leaver, active=False)])
    with pytest.raises(ValidationError, match="no longer active"):
        store.give(org, kind="praise", to="alpha-06", text="Thanks", actor="alpha-01")


def test_unknown_kind_and_kinds_given_elsewhere(org: Any) -> None:
    with pytest.raises(ValidationError, match="unknown kind of feedback 'kudos'"):
        store.give(org, kind="kudos", to="alpha-02", text="x", actor="alpha-01")
    with pytest.raises(ValidationError, match="import-csat"):
        store.give(org, kind="customer", to="alpha-02", text="x", actor="alpha-01")
    with pytest.raises(ValidationError, match="feedback peer"):
        store.give(org, kind="peer", to="alpha-02", text="x", actor="alpha-01")


def test_giving_needs_a_person(org: Any, cli: Any) -> None:
    result = cli("feedback", "give", "--kind", "praise", "--to", "alpha-02", "--text", "x")
    assert result.exit_code == 1
    assert "--as PERSON" in result.stderr
    assert cli("--as", "ghost", "feedback", "list").exit_code == 1


def test_concern_is_private_to_managers_and_hr(org: Any, cli: Any) -> None:
    store.give(
        org, kind="concern", to="alpha-02", text="Rude to a customer on the phone", actor="alpha-03"
    )

    def visible_to(actor: str) -> list[int]:
        return [i.id for i in store.list_feedback(org, actor=actor)]

    assert visible_to("alpha-02") == []  # the person concerned does not see it
    assert visible_to("alpha-04") == []  # nor do colleagues
    assert visible_to("beta-lead") == []  # nor another team's lead
    assert len(visible_to("alpha-lead")) == 1  # their manager does
    assert len(visible_to("boss")) == 1  # and the manager's manager
    assert len(visible_to("alpha-03")) == 1  # and the author
    # HR, configured in corehub.toml, sees it too
    import attrs

    org.config = attrs.evolve(
        org.config, organization=attrs.evolve(org.config.organization, hr=["beta-01"])
    )
    assert len(visible_to("beta-01")) == 1
    assert cli("--as", "alpha-02", "feedback", "list", "--json").json() == []


def test_list_filters_by_recipient_kind_and_day(org: Any, clock: Any) -> None:
    store.give(org, kind="praise", to="alpha-02", text="early", actor="alpha-01")
    clock.advance(days=10)
    store.give(org, kind="praise", to="alpha-03", text="later", actor="alpha-01")
    store.give(org, kind="suggestion", text="Shared macros for refunds", actor="alpha-01")
    assert [i.text for i in store.list_feedback(org, to="alpha-03")] == ["later"]
    assert [i.text for i in store.list_feedback(org, kind="praise")] == ["later", "early"]
    assert {i.text for i in store.list_feedback(org, since=clock.today())} == {
        "later",
        "Shared macros for refunds",
    }
    with pytest.raises(ValidationError, match="only shown as results"):
        store.list_feedback(org, kind="pulse")


def test_upward_is_only_about_ones_own_manager(org: Any, open_cycle: Any) -> None:
    with pytest.raises(PermissionDeniedError, match="your own manager"):
        store.give(org, kind="upward", to="beta-lead", rating=2, actor="alpha-01")
    item = store.give(org, kind="upward", rating=4, text="Clear priorities", actor="alpha-01")
    assert (item.recipient_id, item.author_id, item.anonymous, item.cycle_id) == (
        "alpha-lead",
        None,
        True,
        open_cycle.id,
    )
    with pytest.raises(ValidationError, match="rating 6 is not a whole number from 1 to 5"):
        store.give(org, kind="upward", rating=6, actor="alpha-01")


def test_upward_needs_an_open_cycle(org: Any) -> None:
    with pytest.raises(ValidationError, match="--cycle"):
        store.give(org, kind="upward", rating=4, actor="alpha-01")


def test_feedback_received_fires_inside_the_storing_transaction(
    org: Any, register_plugin: Any
) -> None:
    import corehub

    seen: list[Any] = []

    class Watcher:
        @corehub.hookimpl
        def feedback_received(self, hub: Any, feedback: Any) -> None:
            seen.append(feedback)
            if "veto" in feedback.text:
                raise ValidationError("refused by an organization's rule")

    register_plugin(Watcher(), name="watcher")
    store.give(org, kind="praise", to="alpha-02", text="fine", actor="alpha-01")
    assert [(f.kind, f.author_id, f.recipient_id) for f in seen] == [
        ("praise", "alpha-01", "alpha-02")
    ]
    with pytest.raises(ValidationError, match="refused"):
        store.give(org, kind="praise", to="alpha-02", text="veto this", actor="alpha-01")
    assert org.db["feedback"].count == 1  # rolled back with the hook
    store.give(org, kind="pulse", rating=9, actor="alpha-01")
    assert seen[-1].author_id is None and seen[-1].anonymous


def test_organizations_add_their_own_kinds(
    org: Any, register_plugin: Any, cli: Any, clock: Any
) -> None:
    import corehub
    from corehub.models import Anonymity, FeedbackKind

    class Shoutouts:
        @corehub.hookimpl
        def register_feedback_kinds(self, hub: Any) -> list[FeedbackKind]:
            return [FeedbackKind(id="shoutout", label="Shout-out", anonymity=Anonymity.OPTIONAL)]

    register_plugin(Shoutouts(), name="shoutouts")
    assert "shoutout" in {k["id"] for k in cli("feedback", "kinds", "--json").json()}
    item = store.give(
        org, kind="shoutout", to="alpha-02", text="Great save", anonymous=True, actor="alpha-01"
    )
    assert item.author_id is None
    # anonymous, so listed from the next day, with the rest of its day
    assert store.list_feedback(org, actor="alpha-02") == []
    clock.advance(days=1)
    assert [i.id for i in store.list_feedback(org, actor="alpha-02")] == [item.id]
    assert store.list_feedback(org, actor="alpha-03") == []


def test_a_kind_registered_twice_names_both_plugins(
    org: Any, register_plugin: Any, cli: Any
) -> None:
    import corehub
    from corehub.models import FeedbackKind

    class Clash:
        @corehub.hookimpl
        def register_feedback_kinds(self, hub: Any) -> list[FeedbackKind]:
            return [FeedbackKind(id="praise", label="Kudos")]

    register_plugin(Clash(), name="clash")
    result = cli("feedback", "kinds")
    assert result.exit_code == 1
    assert "'feedback'" in result.stderr and "'clash'" in result.stderr


def test_get_unknown_feedback(org: Any) -> None:
    with pytest.raises(NotFoundError):
        store.get(org, 1)


def test_listing_for_somebody_unknown_is_an_error(org: Any, cli: Any) -> None:
    result = cli("--as", "alpha-01", "feedback", "list", "--to", "alpha-99")
    assert result.exit_code == 1
    assert "no person with id 'alpha-99'" in result.stderr
