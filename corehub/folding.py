"""How corehub compares the texts people are found by: ids and e-mail addresses
(:func:`fold_id`) and names (:func:`fold_name`). Every place that matches people by text
folds with these, so that a person found by a text in one place is found by it in another:
the people finder of imports, the uniqueness of e-mail addresses, the sign-in link by
e-mail and the calibration search.

Nothing here reads the database; the workspace database has :func:`fold_name` as the SQL
function ``corehub_fold_name`` on every connection corehub opens (:data:`FOLD_NAME_SQL`),
for indexes kept by triggers.
"""

from __future__ import annotations

import unicodedata

FOLD_NAME_SQL = "corehub_fold_name"
"""The SQL function that is :func:`fold_name` on every connection corehub opens."""


def fold_id(text: str | None) -> str:
    """An id or e-mail address as corehub compares it: Unicode-normalised (NFKC),
    case-folded, without surrounding spaces. ``" Ana.Lopez@Example.ORG"`` and
    ``"ana.lopez@example.org"`` fold alike, as do an address typed in full-width letters (as some
    East Asian keyboards do) and the same in ASCII; accents stay (``josé@`` and ``jose@`` are two
    mailboxes)."""
    if not text:
        return ""
    if text.isascii():
        return text.strip().lower()
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold()).strip()


_LETTERS = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
        "\u0131": "i",
        # apostrophes as keyboards and word processors type them (right and left quotation
        # marks, the modifier letter apostrophe, the prime) are the typed one
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2032": "'",
    }
)
"""Letters Unicode does not decompose into a base letter and an accent, as exports that
drop accents write them (Søren as Soren, Ærø as Aero). Case-folding comes first, so the
capitals (Ø, Æ, Ł...) fold too, and ß becomes ss. The typographic apostrophes (the
quotation marks U+2019 and U+2018, U+02BC and the prime U+2032) are the typed one (')."""


def fold_name(text: str | None) -> str:
    """A full name as corehub compares it: case-folded, without accents (``Núñez``,
    ``Nunez`` and ``NUÑEZ`` fold alike, as do ``Søren`` and ``Soren``, ``Straße`` and
    ``Strasse``), whatever the Unicode form (composed or not), with its apostrophes one
    (``O'Brien`` typed with a typographic apostrophe, U+2019, folds as typed with ') and its runs of spaces made one and none
    around it."""
    if not text:
        return ""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_LETTERS).split())


def search_words(name: str | None, person_id: str | None) -> str:
    """A person's name and id as the calibration search finds them: folded
    (:func:`fold_name`) and, when they hold a hyphen, an apostrophe, a dot, an ``@`` or
    anything else that is no letter or digit, followed by the same again with those
    parts of words apart, so that a search finds a word that begins after them (``ma``
    finds Anne-Marie, ``01`` finds agt-01, ``lo`` finds ana.lopez@...). Stored for every
    person (``people_words``, core migration m013) by ``People.save``: a change here needs
    a migration that makes them again."""
    folded = fold_name(f"{name or ''} {person_id or ''}")
    apart = " ".join("".join(c if c.isalnum() or c == " " else " " for c in folded).split())
    return folded if apart == folded else f"{folded} {apart}"
