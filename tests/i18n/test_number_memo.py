"""Numbers are formatted once per translator and kept (bounded), with the same text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from corehub import i18n
from corehub.i18n import translator

VALUES = [0, 0.0, -0.0, 1, 1.0, 2.5, -2.5, 1234.5678, Decimal("0.05"), 0.05, 3.14159]


@pytest.mark.parametrize("language", ["en", "es", "da", "sv"])
def test_kept_numbers_read_as_newly_formatted_ones(hub, language):
    words = translator(hub, language)
    locale = words.babel_locale
    for decimals in (0, 1, 2):
        for _ in range(2):  # the second time from what was kept
            for value in VALUES:
                pattern = "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals
                expected = format_decimal(
                    round(value) if decimals <= 0 else value, format=pattern, locale=locale
                )
                assert words.number(value, decimals) == expected, (value, decimals)
    assert words.number(None) == "\u2013"


def test_kept_numbers_are_bounded(hub, monkeypatch):
    monkeypatch.setattr(i18n, "NUMBERS_KEPT", 10)
    words = translator(hub, "es")
    for n in range(100):
        assert words.number(n + 0.25, 2) == format_decimal(
            n + 0.25, format="#,##0.00", locale=words.babel_locale
        )
    assert len(words._numbers) <= 10
