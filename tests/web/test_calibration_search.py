"""The calibration form finds the person to calibrate by a search, at any size.

With more than a few people whose rating the reader may calibrate, the form is a search
(a GET form: no JavaScript needed): any word's beginning of a name or id, case and accents
set aside, a page of the people found at a time, then the form for the one chosen. It
finds only the people :func:`corehub_self_assessment.calibration.adjust` lets the reader
calibrate (HR: anyone but themselves; a director: the people below them), and what the
page reads does not grow with the people it does not show.
"""

from __future__ import annotations

import html
import re
import sys
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import pytest

from corehub.errors import PermissionDeniedError
from corehub.loaders import fold_name
from corehub.models import Level, Person
from corehub.testing import form_error_problems
from corehub_self_assessment import calibration
from tests.web.test_accessibility import axe_source  # noqa: F401 (a fixture)
from tests.web.test_aggregate_pages import _join, rows_read  # noqa: F401 (a fixture)

NAMED = [
    # (id, name): below alpha-lead, written as people write them
    ("jn-01", "José Núñez"),
    ("ja-02", "JOSEFINA ÁLVAREZ"),
    ("mj-03", "María José García"),
    ("ao-04", "Åsa Öberg"),
    ("so-05", "Søren Ølund"),
    ("zo-06", "Zoë O'Brien"),
]
MORE_NAMED = [
    # letters that Unicode does not decompose, for the searches that fold them
    ("lw-07", "Łukasz Wałęsa"),
    ("js-08", "Jürgen Strauß"),
    ("dj-09", "Đorđe Jovanović"),
    ("ad-10", "Ægir Dæhli"),
]


@pytest.fixture
def more_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """``rated`` (asked for after this) has the people of MORE_NAMED too."""
    monkeypatch.setattr(sys.modules[__name__], "NAMED", NAMED + MORE_NAMED)


def _submit_all(hub: Any, cycle: Any) -> None:
    """Every manager review of the cycle submitted, with a stored score."""
    with hub.atomic() as db:
        db.execute(
            "UPDATE self_assessment_reviews SET status = 'submitted', score = json_object("
            "'overall', (id % 4) + 2, 'sections', json_array(), 'competencies', json_object()) "
            "WHERE cycle_id = ? AND kind = 'manager'",
            [cycle.id],
        )


@pytest.fixture
def rated(hub: Any, cycle: Any) -> Any:
    """The web org chart with many rated people: the names above below alpha-lead, 15
    agents of omega-lead (below boss), a second region (chair > boss-2 > far-lead > three
    agents) whose director is rated too, someone below boss through a manager who has
    left; every manager review submitted, a calibration session over the whole cycle."""
    hub.cycles.set_calibrate(cycle, True)
    _join(hub, cycle, "omega-lead", "omega", 15)
    hub.people.save(
        [
            *(Person(id=i, name=n, team="alpha", manager_id="alpha-lead") for i, n in NAMED),
            Person(id="chair", name="Chair Person", level=Level.DIRECTIVE, team="Board"),
            Person(
                id="boss-2",
                name="Second Director",
                level=Level.DIRECTIVE,
                team="Board",
                manager_id="chair",
            ),
            Person(id="mid", name="Middle Manager", team="mid", manager_id="boss"),
            Person(id="mid-01", name="Mid Agent", team="mid", manager_id="mid"),
        ]
    )
    _join(hub, cycle, "far-lead", "far", 3, boss="boss-2")
    hub.people.save([attrs.evolve(hub.people.get("mid"), active=False)])
    hub.cycles.open(cycle.name)
    _submit_all(hub, cycle)
    calibration.open_session(hub, cycle, "all", actor="hr-1")
    return cycle


def _expected(hub: Any, cycle: Any, reader: str, find: str) -> list[tuple[str, str]]:
    """(name, id) of the people ``reader`` may calibrate whose name or id holds, for each
    word of ``find``, that word anywhere inside one of its words (three letters or more)
    or at the beginning of one (fewer), case, accents and letters such as ø and ß folded,
    by name and id: worked out here, person by person, with the library's rule."""
    rated = [
        row[0]
        for row in hub.db.execute(
            "SELECT subject_id FROM self_assessment_reviews WHERE cycle_id = ? "
            "AND kind = 'manager' AND status != 'draft'",
            [cycle.id],
        )
    ]
    wanted = _tokens(find)
    if not wanted:
        return []
    found = []
    for pid in rated:
        person = hub.people.get(pid)
        words = fold_name(f"{person.name} {person.id}").split()
        if all(
            any((w in word) if len(w) >= 3 else word.startswith(w) for word in words)
            for w in wanted
        ) and calibration.may_adjust(hub, reader, pid):
            found.append((person.name, person.id))
    return sorted(found)


def _tokens(text: str) -> list[str]:
    """The words of a search: what names and ids are made of, anything else between."""
    kept = re.sub(r"[^\w'\u2019.@+-]", " ", text).split()
    return [part for w in kept if re.search(r"[^\W_]", w) for part in fold_name(w).split()]


def _found(text: str) -> list[tuple[str, str]]:
    """(name, id) of each person the page lists as found, in order."""
    if 'class="list found"' not in text:
        return []
    table = text[text.index('class="list found"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        (html.unescape(name), html.unescape(pid))
        for name, pid in re.findall(
            r'<a href="[^"]*"[^>]*>([^<]*)</a> <span class="muted small">([^<]*)</span>', body
        )
    ]


def _status(text: str) -> str:
    found = re.search(r'<p class="muted small" role="status">(.*?)</p>', text, re.S)
    return html.unescape(found.group(1)) if found else ""


def _all_found(client: Any, path: str) -> list[tuple[str, str]]:
    """Every person found, page after page, following the pager's "next" links."""
    shown: list[tuple[str, str]] = []
    while path:
        page = client.get(path)
        assert page.status_code == 200
        shown += _found(page.text)
        nav = re.search(
            r'<nav class="pager" aria-label="Pages of the people found">(.*?)</nav>',
            page.text,
            re.S,
        )
        after = re.search(r'<a href="([^"]+)" rel="next">', nav.group(1)) if nav else None
        path = html.unescape(after.group(1)) if after else ""
        assert not path or "found-page=" in path
    return shown


def test_with_many_people_the_form_is_a_search_not_a_list(browser: Any, rated: Any) -> None:
    page = browser("hr-1").get(f"/reviews/calibration/{rated.id}").text
    assert '<input type="search" id="calibrate-person" name="find"' in page
    assert '<label for="calibrate-person">Find the person by name or id</label>' in page
    assert "<option" not in page and 'name="person"' not in page  # nobody listed
    assert 'role="search"' in page and 'method="get"' in page
    assert _found(page) == [] and _status(page) == ""


@pytest.mark.parametrize(
    ("find", "names"),
    [
        ("jose", ["JOSEFINA ÁLVAREZ", "José Núñez", "María José García"]),
        ("JOSÉ", ["JOSEFINA ÁLVAREZ", "José Núñez", "María José García"]),
        ("nunez", ["José Núñez"]),
        ("ÑÚÑ", ["José Núñez"]),
        ("garcía maria", ["María José García"]),  # any order
        ("oberg", ["Åsa Öberg"]),
        ("asa ÖBERG", ["Åsa Öberg"]),
        ("søren", ["Søren Ølund"]),
        ("zoe o", ["Zoë O'Brien"]),
        ("jn-01", ["José Núñez"]),  # the id
        ("JN", ["José Núñez"]),
        ("ez", []),  # two letters inside a word find nothing: they begin words
        ("nez", ["José Núñez"]),  # three anywhere inside a word
        ("ÚÑE", ["José Núñez"]),
        ("ose", ["JOSEFINA ÁLVAREZ", "José Núñez", "María José García"]),
        ("rcía", ["María José García"]),
        (
            "j",
            [
                "JOSEFINA ÁLVAREZ",
                "José Núñez",
                "Jürgen Strauß",
                "María José García",
                "Đorđe Jovanović",
            ],
        ),
        ("dj", ["Đorđe Jovanović"]),  # the beginning of the id
        ("n-0", ["José Núñez"]),  # inside the id jn-01
        ("n-01", ["José Núñez"]),
        # letters without a decomposition, folded as the people finder folds them
        ("soren", ["Søren Ølund"]),
        ("SOREN OLUND", ["Søren Ølund"]),
        ("lund", ["Søren Ølund"]),
        ("lukasz walesa", ["Łukasz Wałęsa"]),
        ("ŁUKASZ", ["Łukasz Wałęsa"]),
        ("strauss", ["Jürgen Strauß"]),
        ("STRAUSS", ["Jürgen Strauß"]),
        ("djordje", []),  # đ is d, not dj
        ("dorde", ["Đorđe Jovanović"]),
        ("aegir daehli", ["Ægir Dæhli"]),
        ("ÆGIR", ["Ægir Dæhli"]),
        ("o'brien", ["Zoë O'Brien"]),
        ("brien", ["Zoë O'Brien"]),
        ("zzz", []),
        ("agent omega-lead 1", [f"Agent omega-lead {n}" for n in range(10, 15)]),
        ('"', []),  # nothing to search with, and no query syntax
        ("NOT OR * ( jose", []),
        ('"jose"', ["JOSEFINA ÁLVAREZ", "José Núñez", "María José García"]),
        ("jose NEAR(", []),
    ],
)
def test_the_search_folds_as_the_finder_does_and_finds_inside_words(
    browser: Any, hub: Any, more_named: None, rated: Any, find: str, names: list[str]
) -> None:
    client = browser("hr-1")
    page = client.get(f"/reviews/calibration/{rated.id}", query_string={"find": find})
    assert page.status_code == 200
    shown = _found(page.text)
    assert [name for name, _ in shown] == sorted(names)
    assert shown == _expected(hub, rated, "hr-1", find)
    shown_as = " ".join(find.split())
    if names:
        assert _status(page.text) == (
            f"{len(names)} people match {shown_as}."
            if len(names) > 1
            else f"1 person matches {shown_as}."
        )
    else:
        assert _status(page.text) == f"Nobody whose rating you may calibrate matches {shown_as}."
    # the search stays in its field, escaped
    kept = re.search(
        r'<input type="search" id="calibrate-person" name="find" value="([^"]*)"', page.text
    )
    assert html.unescape(kept.group(1)) == shown_as


def test_an_empty_search_lists_nobody_and_says_nothing(browser: Any, rated: Any) -> None:
    for find in ("", "   "):
        page = browser("hr-1").get(f"/reviews/calibration/{rated.id}?find={find}").text
        assert _found(page) == [] and _status(page) == ""


def test_the_people_found_come_a_page_at_a_time(
    browser: Any, hub: Any, rated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Page by page, the people found are each listed once, by name and id, and they are
    the library's whole answer; a page past the end shows the last one."""
    from corehub_self_assessment import web_calibration

    monkeypatch.setattr(web_calibration, "FOUND_PER_PAGE", 4)
    client = browser("hr-1")
    expected = _expected(hub, rated, "hr-1", "agent")
    assert len(expected) > 8  # three pages at least
    path = f"/reviews/calibration/{rated.id}?find=AGENT"
    assert _all_found(client, path) == expected
    first = client.get(path).text
    assert f"1\u20134 of {len(expected)}" in html.unescape(first)
    last = client.get(path + "&found-page=999").text
    pages = -(-len(expected) // 4)
    assert _found(last) == expected[(pages - 1) * 4 :]
    assert _found(client.get(path + "&found-page=x").text) == expected[:4]
    # choosing someone on page 2 keeps page 2 of the search
    second = client.get(path + "&found-page=2").text
    link = re.search(r'<table class="list found".*?<a href="([^"]+)"', second, re.S).group(1)
    args = parse_qs(urlsplit(html.unescape(link)).query)
    assert args["found-page"] == ["2"] and args["find"] == ["AGENT"]
    assert args["person"] == [expected[4][1]]


def test_a_director_finds_only_the_people_below_them(
    browser: Any, hub: Any, rated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """boss finds the people below them (someone whose manager has left too, as the
    library allows), not the other region's, not their own rating; boss-2, rated by
    chair, does not find themselves; chair finds boss-2 and their region only."""
    from corehub_self_assessment import web_calibration

    monkeypatch.setattr(web_calibration, "SELECT_AT_MOST", 0)  # a search for everyone
    for reader, present, absent in (
        ("boss", {"mid-01", "omega-lead-03", "jn-01", "alpha-lead"}, {"far-lead-00", "boss-2"}),
        ("boss-2", {"far-lead-00", "far-lead"}, {"boss-2", "jn-01", "omega-lead-03"}),
        ("chair", {"boss-2", "far-lead-02"}, {"chair", "omega-lead-03", "mid-01"}),
        ("hr-1", {"boss-2", "far-lead-02", "mid-01", "jn-01"}, {"hr-1"}),
    ):
        client = browser(reader)
        for find in ("a", "agent", "second", "far", "mid", "lead", "j", "o", "ead", "nez"):
            shown = _all_found(client, f"/reviews/calibration/{rated.id}?find={find}")
            assert shown == _expected(hub, rated, reader, find), (reader, find)
        every = {
            pid
            for find in ("a", "agent", "second", "far", "mid", "lead", "j", "o", "b", "s", "z")
            for _, pid in _all_found(client, f"/reviews/calibration/{rated.id}?find={find}")
        }
        assert present <= every, (reader, present - every)
        assert not absent & every, (reader, absent & every)


def test_the_search_and_the_adjust_rule_are_one_rule(hub: Any, rated: Any) -> None:
    """For every reader and every rated person of the cycle: found by the search (and
    counted) exactly when :func:`calibration.adjust` would let the reader calibrate them,
    in the whole cycle and in a team's scope; someone who may not calibrate is refused."""
    rated_ids = [
        row[0]
        for row in hub.db.execute(
            "SELECT subject_id FROM self_assessment_calibration_rows WHERE cycle_id = ?",
            [rated.id],
        )
    ]
    assert len(rated_ids) > 30
    for reader in ("hr-1", "boss", "boss-2", "chair"):
        allowed = {p for p in rated_ids if calibration.may_adjust(hub, reader, p)}
        listed = [r["person"] for r in calibration.adjustable(hub, rated, "all", actor=reader)]
        assert set(listed) == allowed and len(listed) == len(allowed), reader
        assert calibration.adjustable_count(hub, rated, "all", actor=reader) == len(allowed)
        assert calibration.adjustable_count(hub, rated, "all", actor=reader, at_most=3) == min(
            3, len(allowed)
        )
        omega = {
            r["person"] for r in calibration.adjustable(hub, rated, "team:omega", actor=reader)
        }
        assert omega == {p for p in allowed if hub.people.get(p).team == "omega"}, reader
        for pid in rated_ids:
            one = calibration.adjustable(hub, rated, "all", actor=reader, person=pid)
            assert bool(one) is (pid in allowed), (reader, pid)
    for reader in ("alpha-lead", "alpha-01"):
        with pytest.raises(PermissionDeniedError):
            calibration.adjustable(hub, rated, "all", actor=reader, find="a")


def test_the_person_chosen_gets_the_form_and_a_calibration_keeps_the_search(
    browser: Any, hub: Any, rated: Any
) -> None:
    client = browser("hr-1")
    base = f"/reviews/calibration/{rated.id}"
    found = client.get(f"{base}?find=jose").text
    link = re.search(r'<a href="([^"]+)"[^>]*>José Núñez</a>', found).group(1)
    chosen = client.get(html.unescape(link)).text
    assert '<h3 id="calibrate-chosen">The rating of José Núñez</h3>' in chosen
    assert '<input type="hidden" name="person" value="jn-01">' in chosen
    assert '<input type="hidden" name="find" value="jose">' in chosen
    assert 'aria-current="true">José Núñez</a>' in chosen
    assert _found(chosen) == _found(found)  # the people found stay listed
    sent = client.post(
        base,
        {"scope": "all", "person": "jn-01", "find": "jose", "rating": "4,5", "reason": "Fair"},
    )
    assert sent.status_code == 302
    assert parse_qs(urlsplit(sent.headers["Location"]).query) == {
        "scope": ["all"],
        "find": ["jose"],
    }
    [adjustment] = calibration.view(hub, rated, "all", actor="hr-1")["adjustments"]
    assert (adjustment["person"], adjustment["calibrated"]) == ("jn-01", 4.5)
    again = client.get(sent.headers["Location"]).text
    assert "Calibrated. The original rating and your reason are kept." in again
    assert ("José Núñez", "jn-01") in _found(again)
    # the rating as calibrated, beside the one given
    rechosen = client.get(html.unescape(link)).text
    assert re.search(r"\d[.,]\d\d as given, 4[.,]50 after calibration", rechosen)


def test_a_mistake_shows_the_chosen_person_s_form_again_with_the_search(
    browser: Any, rated: Any
) -> None:
    client = browser("hr-1")
    sent = client.post(
        f"/reviews/calibration/{rated.id}",
        {"scope": "all", "person": "ao-04", "find": "öberg", "rating": "9", "reason": ""},
    )
    assert sent.status_code == 400
    assert form_error_problems(sent.text) == []
    assert "The rating of Åsa Öberg" in sent.text
    assert '<input type="hidden" name="person" value="ao-04">' in sent.text
    assert 'name="find" value="öberg"' in sent.text
    assert 'href="#calibrate-rating"' in sent.text and 'href="#calibrate-reason"' in sent.text
    assert _found(sent.text) == [("Åsa Öberg", "ao-04")]


@pytest.mark.parametrize(
    ("reader", "asked"),
    [("boss", "far-lead-01"), ("boss", "nobody-9"), ("boss", "boss"), ("hr-1", "hr-1")],
)
def test_someone_one_may_not_calibrate_cannot_be_chosen(
    browser: Any, hub: Any, rated: Any, reader: str, asked: str
) -> None:
    """Asking for them by address gets the same words as asking for nobody: no form, no
    name, no rating; posting for them is refused and nothing is kept."""
    client = browser(reader)
    base = f"/reviews/calibration/{rated.id}"
    page = client.get(f"{base}?person={asked}")
    assert page.status_code == 200
    assert form_error_problems(page.text) == []
    assert (
        f"{asked} is not among the people whose rating you may calibrate here: find them by "
        "name or id." in html.unescape(page.text)
    )
    assert 'id="calibrate-chosen"' not in page.text and 'name="person"' not in page.text
    if reader == "boss":  # (HR sees the other region's people at the edges)
        assert "Agent far-lead" not in page.text
    if asked != "nobody-9":
        posted = client.post(base, {"person": asked, "rating": "5", "reason": "not mine"})
        assert posted.status_code == 403
        assert calibration.view(hub, rated, "all", actor="hr-1")["adjustments"] == []


def test_a_scope_s_search_finds_the_people_of_the_scope(browser: Any, hub: Any, rated: Any) -> None:
    calibration.open_session(hub, rated, "team:omega", actor="hr-1")
    client = browser("hr-1")
    omega = _all_found(client, f"/reviews/calibration/{rated.id}?scope=team:omega&find=agent")
    assert omega and {hub.people.get(pid).team for _, pid in omega} == {"omega"}
    # a team of a few: the plain list, as before
    page = client.get(f"/reviews/calibration/{rated.id}?scope=team:alpha").text
    calibration.open_session(hub, rated, "team:beta", actor="hr-1")
    page = client.get(f"/reviews/calibration/{rated.id}?scope=team:beta").text
    [select] = re.findall(r'<select id="calibrate-person".*?</select>', page, re.S)
    assert re.findall(r'<option value="([^"]+)"', select) == [
        *(f"beta-{i:02d}" for i in range(1, 6)),
        "beta-lead",
    ]
    assert 'type="search"' not in page


def test_nobody_to_calibrate_is_said_so(browser: Any, hub: Any, cycle: Any) -> None:
    hub.cycles.set_calibrate(cycle, True)
    calibration.open_session(hub, cycle, "all", actor="hr-1")  # no review submitted yet
    page = browser("hr-1").get(f"/reviews/calibration/{cycle.id}").text
    assert "No submitted manager review in this scope is yours to calibrate." in page
    assert "<select" not in page and 'type="search"' not in page


# -- what the page reads -----------------------------------------------------------------


def _reads(client: Any, path: str, seen: Counter[str]) -> int:
    client.get(path)  # warm: sessions, templates
    seen.clear()
    assert client.get(path).status_code == 200
    return seen["rows"]


@pytest.mark.parametrize("who", ["hr-1", "boss"])
def test_the_page_reads_the_same_rows_whoever_joins_during_a_session(
    browser: Any,
    hub: Any,
    rated: Any,
    rows_read: Counter[str],  # noqa: F811
    who: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While a session is open, 60 more rated people (below boss, with a manager and a
    team after the page's lists) leave what the page and a search read the same: the
    form never lists every rated person (it did: one row each)."""
    from corehub_self_assessment import web_calibration

    monkeypatch.setattr(web_calibration, "PER_PAGE", 2)
    client = browser(who)
    path = f"/reviews/calibration/{rated.id}"
    search = path + "?find=jose&person=jn-01"
    before = _reads(client, path, rows_read), _reads(client, search, rows_read)
    _join(hub, rated, "zz-lead", "zz-zeta", 60)
    _submit_all(hub, rated)
    after = _reads(client, path, rows_read), _reads(client, search, rows_read)
    # (the new ratings move the mean: the people at the edges on the page may be others,
    # whom a director's page looks up above them, a row for each it names)
    margin = 0 if who == "hr-1" else web_calibration.PER_PAGE
    for first, then in zip(before, after, strict=True):
        assert first <= then <= first + margin, (before, after)


# -- in the reader's language, in a browser ---------------------------------------------


@pytest.mark.parametrize("lang", ["es", "da", "sv"])
def test_the_search_speaks_the_reader_s_language(
    browser: Any, hub: Any, rated: Any, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search field, what it found, its pages, the form of the one chosen, a mistake
    and an unknown id, in es, da and sv (the page as a whole is checked by
    tests/web/test_no_english.py, where the reader has a few people to calibrate)."""
    from corehub_self_assessment import web_calibration
    from tests.web.pages import TYPED
    from tests.web.test_no_english import left_in, messages, words

    monkeypatch.setattr(web_calibration, "FOUND_PER_PAGE", 4)
    hub.people.save([attrs.evolve(hub.people.get("hr-1"), locale=lang)])
    translated, native = messages(lang)
    typed = {w for p in hub.people.list() for w in words(f"{p.name} {p.role} {p.team} {p.id}")}
    typed |= {t for p in hub.people.list() for t in (p.name, p.role, p.team, p.id) if t}
    typed |= {w for text in TYPED for w in words(text)} | set(TYPED)
    client = browser("hr-1")
    base = f"/reviews/calibration/{rated.id}"
    problems = []
    pages = [
        client.get(base),
        client.get(f"{base}?find={TYPED[5]}"),
        client.get(f"{base}?find={TYPED[5]}&found-page=2&person=omega-lead-03"),
        client.get(f"{base}?find={TYPED[6]}"),
        client.get(f"{base}?person={TYPED[7]}"),
        client.post(base, {"scope": "all", "person": "jn-01", "find": "jose", "rating": "x"}),
    ]
    for page in pages:
        assert page.status_code in (200, 400)
        assert 'id="calibrate-person"' in page.text
        problems += [
            f"{page.request.full_path}: {p}"
            for p in left_in(html.unescape(page.text), translated, native, typed)
        ]
    assert problems == [], "\n".join(problems)


def test_hr_finds_and_calibrates_someone_with_the_keyboard_in_a_browser(
    chromium: Any,
    hub: Any,
    server: str,
    rated: Any,
    shots: Any,
    axe_source: str,  # noqa: F811
) -> None:
    """In headless Chromium, in Spanish: the search field is labelled, typing part of a
    name and Enter lists the people found (announced as a status), a link chosen with the
    keyboard opens the form for that person, which calibrates their rating; no WCAG 2.1
    AA violation on the way."""
    from playwright.sync_api import expect

    from tests.web.test_accessibility import signed_in, violations

    page = signed_in(chromium, hub, server, "hr-1", "es", axe_source)
    page.goto(f"{server}/reviews/calibration/{rated.id}")
    assert page.locator("#calibrate-person option").count() == 0
    assert violations(page) == []
    field = page.get_by_label("Busca a la persona por su nombre o id")
    field.fill("OSE")  # inside the words: JOSEFINA, José
    field.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_have_text("3 personas coinciden con OSE.")
    found = page.get_by_role("table", name="Personas encontradas").get_by_role("link")
    assert found.all_inner_texts() == ["JOSEFINA ÁLVAREZ", "José Núñez", "María José García"]
    assert violations(page) == []
    page.screenshot(path=str(shots / "calibration-search.png"), full_page=True)
    found.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=3)).to_have_text("La valoración de José Núñez")
    assert violations(page) == []
    page.get_by_label("Valoración calibrada").fill("4,5")
    page.get_by_label("Por qué").fill("Dos escaladas no eran suyas")
    page.screenshot(path=str(shots / "calibration-chosen.png"), full_page=True)
    page.get_by_label("Por qué").press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".flash")).to_contain_text("Calibrada")
    assert page.get_by_label("Busca a la persona por su nombre o id").input_value() == "OSE"
    assert violations(page) == []
    [adjustment] = calibration.view(hub, rated, "all", actor="hr-1")["adjustments"]
    assert (adjustment["person"], adjustment["calibrated"]) == ("jn-01", 4.5)


def test_a_workspace_from_before_gets_the_index_that_finds_inside_words(
    browser: Any, hub: Any, rated: Any
) -> None:
    """A workspace whose names index found beginnings of words only, accents folded by
    SQLite (storage m008), gets the index made again when it migrates (m010): "nez" and
    "soren" find their people, and it is kept in step with renames after."""
    from corehub_self_assessment import storage

    db = hub.db
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?",
        [f"{storage.CALIBRATION_NAMES}%"],
    ).fetchall():
        db.execute(f"DROP TRIGGER [{name}]")
    db.execute(f"DROP TABLE [{storage.CALIBRATION_NAMES}]")
    storage.m008_calibration_names(db)  # as it was before
    db.execute(
        "DELETE FROM _sqlite_migrations WHERE migration_set = 'self_assessment' "
        "AND name = 'm010_calibration_names_anywhere'"
    )
    db.conn.commit()
    for find in ("nez", "soren"):
        assert calibration.adjustable(hub, rated, actor="hr-1", find=find) == []
    hub.migrate()
    client = browser("hr-1")
    path = f"/reviews/calibration/{rated.id}"
    assert _found(client.get(path, query_string={"find": "nez"}).text) == [("José Núñez", "jn-01")]
    assert _found(client.get(path, query_string={"find": "soren"}).text) == [
        ("Søren Ølund", "so-05")
    ]
    hub.people.save([attrs.evolve(hub.people.get("so-05"), name="Søren Łukasiewicz")])
    assert _found(client.get(path, query_string={"find": "lukas"}).text) == [
        ("Søren Łukasiewicz", "so-05")
    ]
    assert _found(client.get(path, query_string={"find": "olund"}).text) == []
