"""``hub.hook.call_batched``: a hook with a batched form reaches each plugin through the one
it implements, in the order pluggy would call them were both one hook, and names a
failing plugin; ``hub.hook.implemented`` says whether anyone listens."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from corehub import hookimpl
from corehub.errors import PluginError
from corehub.models import Feedback


def _items(n: int) -> list[Feedback]:
    return [
        Feedback(
            id=k,
            kind="customer",
            recipient_id="a1",
            author_id=None,
            anonymous=False,
            given_on=dt.date(2026, 2, 1),
            rating=4.0,
        )
        for k in range(1, n + 1)
    ]


def _call(hub: Any, items: list[Feedback]) -> None:
    hub.hook.call_batched(
        batched="feedback_received_batch",
        single="feedback_received",
        many="items",
        one="feedback",
        items=items,
        hub=hub,
    )


def test_each_plugin_is_reached_through_the_hook_it_implements_in_pluggy_order(
    hub: Any, register_plugin: Any
) -> None:
    calls: list[tuple[str, Any]] = []

    class First:
        @hookimpl(tryfirst=True)
        def feedback_received(self, feedback: Any) -> None:
            calls.append(("first", feedback.id))

    class Batched:
        @hookimpl
        def feedback_received_batch(self, items: Any) -> None:
            calls.append(("batched", [f.id for f in items]))

    class Both:
        @hookimpl
        def feedback_received(self, feedback: Any) -> None:
            calls.append(("both, one", feedback.id))

        @hookimpl
        def feedback_received_batch(self, items: Any) -> None:
            calls.append(("both", [f.id for f in items]))

    class Last:
        @hookimpl(trylast=True)
        def feedback_received(self, feedback: Any) -> None:
            calls.append(("last", feedback.id))

    assert not hub.hook.implemented("feedback_received_batch", "feedback_received")
    for plugin, name in ((First(), "first"), (Batched(), "batched"), (Both(), "both")):
        register_plugin(plugin, name=name)
    register_plugin(Last(), name="last")
    assert hub.hook.implemented("feedback_received_batch", "feedback_received")
    _call(hub, _items(2))
    # tryfirst first, trylast last, the latest registered first among the others
    assert calls == [
        ("first", 1),
        ("first", 2),
        ("both", [1, 2]),
        ("batched", [1, 2]),
        ("last", 1),
        ("last", 2),
    ]
    calls.clear()
    _call(hub, [])
    assert calls == []


def test_a_failing_plugin_is_named_with_its_hook(hub: Any, register_plugin: Any) -> None:
    class Broken:
        @hookimpl
        def feedback_received(self, feedback: Any) -> None:
            if feedback.id == 2:
                raise KeyError("no such agent")

    register_plugin(Broken(), name="broken")
    with pytest.raises(PluginError, match="plugin 'broken' failed in hook feedback_received"):
        _call(hub, _items(3))
