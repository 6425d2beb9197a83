"""Assigning a course from Team training and waiving one from a person's training.

The forms turn into the library's calls (``Training.assign``, ``Training.waive``): who may do
what is its rule (``require_may_manage``), its problems land next to the fields, nothing is
written when anything is refused, and the pages and messages come in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import attrs
import pytest

from corehub.hub import Hub
from corehub_training_tracker.training import Training

MAIN_TAG = '<main id="main" tabindex="-1">'  # the page's content starts here

STRESS = "stress-handling"
WRITING = "clear-writing"  # required of nobody: only ever assigned by hand
TITLE = "Clear written communication"


@pytest.fixture
def training(hub: Hub, cycle: Any) -> Training:
    """Rules synced (everyone has their required courses open); alpha-01 overdue on stress
    handling (due 2026-02-15). Today is 2026-03-02."""
    service = Training(hub)
    service.sync()
    service.assign(
        STRESS,
        [hub.people.get("alpha-01")],
        due=dt.date(2026, 2, 15),
        assigned_on=dt.date(2026, 1, 10),
    )
    return service


def main(answer: Any) -> str:
    """The page's content, without the navigation bar."""
    return answer.get_data(as_text=True).split(MAIN_TAG, 1)[1]


def words(fragment: str) -> str:
    """What a person reads in a piece of a page: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def section(page: str, section_id: str) -> str:
    return page.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def field_error(answer: Any, form: str, field: str) -> str:
    found = re.search(rf'id="{form}-{field}-error"[^>]*>([^<]*)<', answer.get_data(as_text=True))
    assert found, f"no error next to {form} {field}"
    return html.unescape(found.group(1))


def assigned(training: Training, course_id: str = WRITING) -> dict[str, Any]:
    """person id -> the open assignment of the course."""
    return {r.person_id: r for r in training.assignments(course_id=course_id, open_only=True)}


def flashes(answer: Any) -> list[str]:
    found = re.findall(r'<p class="flash[^"]*" role="status">([^<]*)</p>', answer.text)
    return [html.unescape(f) for f in found]


# -- assigning ---------------------------------------------------------------------------


def test_a_manager_assigns_a_course_to_two_reports(browser, hub, training):
    lead = browser("alpha-lead")
    form = section(main(lead.get("/training/team")), "assign")
    # the lead's people only, the course titles, a due date about a month away
    assert 'value="alpha-01"' in form and 'value="alpha-03"' in form
    assert 'value="beta-01"' not in form and 'value="alpha-lead"' not in form
    assert f'<option value="{WRITING}">{TITLE}</option>' in form
    assert 'name="due" min="2026-03-02" value="2026-04-01"' in form
    assert 'name="csrf_token"' in form
    answer = lead.post(
        "/training/assign",
        {"course": WRITING, "person": ["alpha-01", "alpha-02"], "due": "2026-04-15"},
    )
    assert answer.status_code == 302, answer.text
    assert answer.headers["Location"].endswith("/training/team")
    made = assigned(training)
    assert set(made) == {"alpha-01", "alpha-02"}
    for record in made.values():
        assert record.due == dt.date(2026, 4, 15)
        assert record.assigned_on == dt.date(2026, 3, 2)
        assert record.source == "manual"
        assert hub.db.table("training_assignments").get(record.id)["created_by"] == "alpha-lead"
    page = lead.get("/training/team")
    assert f"Assigned {TITLE} to 2 people, due 2026-04-15." in flashes(page)
    # the report sees it on My training, assigned by their manager
    mine = main(browser("alpha-01").get("/training/"))
    row = mine.split(f'id="course-{WRITING}"')[1].split("</tr>")[0]
    assert TITLE in row and "Assigned by manager" in row and "Assigned" in row


def test_people_who_have_it_are_skipped_and_named(browser, hub, training):
    lead = browser("alpha-lead")
    training.complete("alpha-03", "data-protection", dt.date(2026, 2, 20))
    # the whole team: everyone in it the lead manages (not the lead, who is in it too)
    answer = lead.post(
        "/training/assign", {"course": "data-protection", "team": "alpha", "due": "2026-04-15"}
    )
    assert answer.status_code == 302, answer.text
    said = flashes(lead.get("/training/team"))
    assert said[0] == "Assigned Data protection at the help desk to 0 people, due 2026-04-15."
    skipped = said[1]
    assert skipped.startswith("3 people skipped: Alpha Agent 1: already assigned (#")
    assert "Alpha Agent 3: already completed on 2026-02-20, valid until 2027-02-20" in skipped
    assert "assigned)" in skipped  # the open assignment's status
    # a person and their whole team: each assigned once
    answer = lead.post(
        "/training/assign",
        {"course": WRITING, "person": "alpha-01", "team": "alpha", "due": "2026-04-15"},
    )
    assert answer.status_code == 302
    assert set(assigned(training)) == {"alpha-01", "alpha-02", "alpha-03"}
    assert not training.assignments(person_ids=["alpha-lead"], course_id=WRITING)
    assert flashes(lead.get("/training/team")) == [f"Assigned {TITLE} to 3 people, due 2026-04-15."]
    lead.post("/training/assign", {"course": WRITING, "person": "alpha-02", "due": "2026-05-01"})
    said = flashes(lead.get("/training/team"))
    assert said[0] == f"Assigned {TITLE} to 0 people, due 2026-05-01."
    assert re.fullmatch(
        r"1 person skipped: Alpha Agent 2: already assigned \(#\d+, assigned\)", said[1]
    )
    assert assigned(training)["alpha-02"].due == dt.date(2026, 4, 15)  # not doubled, not moved


def test_a_manager_assigns_only_to_their_own_people(browser, hub, training):
    lead = browser("alpha-lead")
    for people in (["beta-01"], ["alpha-01", "beta-01"]):
        answer = lead.post(
            "/training/assign", {"course": WRITING, "person": people, "due": "2026-04-15"}
        )
        assert answer.status_code == 403
        assert "does not manage beta-01" in answer.text
    # refused whatever else is wrong with the form
    answer = lead.post("/training/assign", {"course": "", "person": "beta-01", "due": ""})
    assert answer.status_code == 403
    # another team's "whole team" brings nobody in
    answer = lead.post("/training/assign", {"course": WRITING, "team": "beta", "due": "2026-04-15"})
    assert answer.status_code == 400
    assert field_error(answer, "assign", "people") == "choose at least one person"
    assert not training.assignments(course_id=WRITING)


@pytest.mark.parametrize("person_id", ["alpha-01", "alpha-02"])
def test_employees_cannot_reach_the_assign_form(browser, hub, training, person_id):
    me = browser(person_id)
    assert me.get("/training/team").status_code == 403
    answer = me.post(
        "/training/assign", {"course": WRITING, "person": "alpha-01", "due": "2026-04-15"}
    )
    assert answer.status_code == 403
    assert "Assign a course" not in main(me.get("/training/"))
    assert not training.assignments(course_id=WRITING)


def test_signed_out_and_without_the_csrf_token_nothing_is_assigned(browser, hub, training):
    form = {"course": WRITING, "person": "alpha-01", "due": "2026-04-15"}
    answer = browser(None).post("/training/assign", form)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/sign-in")
    lead = browser("alpha-lead")
    answer = lead.client.post("/training/assign", data=form)
    assert answer.status_code == 400 and "did not come from corehub" in answer.text
    assert not training.assignments(course_id=WRITING)


@pytest.mark.parametrize("person_id", ["hr-1", "boss"])
def test_hr_and_the_director_assign_to_anyone(browser, hub, training, person_id):
    client = browser(person_id)
    form = section(main(client.get("/training/team")), "assign")
    assert 'value="alpha-01"' in form and 'value="beta-05"' in form
    assert f'value="{person_id}"' not in form
    answer = client.post(
        "/training/assign",
        {"course": WRITING, "person": ["alpha-01", "beta-01"], "due": "2026-03-02"},
    )
    assert answer.status_code == 302, answer.text
    assert set(assigned(training)) == {"alpha-01", "beta-01"}
    assert {r.due for r in assigned(training).values()} == {dt.date(2026, 3, 2)}  # today is fine


def test_assign_errors_are_next_to_their_fields_and_nothing_is_lost(browser, hub, training):
    lead = browser("alpha-lead")
    answer = lead.post("/training/assign", {"course": "", "due": ""})
    assert answer.status_code == 400
    assert field_error(answer, "assign", "course") == "choose a course"
    assert field_error(answer, "assign", "people") == "choose at least one person"
    assert field_error(answer, "assign", "due") == "give the day it is due"
    # a past due date: the library's refusal, next to the due date; the choices kept
    form = {"course": WRITING, "person": ["alpha-01", "alpha-03"], "due": "2026-01-01"}
    answer = lead.post("/training/assign", form)
    assert answer.status_code == 400
    assert field_error(answer, "assign", "due") == (
        "due date 2026-01-01 is before the assignment date 2026-03-02; nothing was assigned"
    )
    kept = section(main(answer), "assign")
    assert f'<option value="{WRITING}" selected>' in kept
    assert 'value="alpha-01" checked' in kept and 'value="alpha-03" checked' in kept
    assert 'value="alpha-02" checked' not in kept
    assert 'name="due" min="2026-03-02" value="2026-01-01"' in kept
    answer = lead.post("/training/assign", {**form, "due": "31/13/2026", "team": "alpha"})
    assert field_error(answer, "assign", "due") == "'31/13/2026' is not a date (use YYYY-MM-DD)"
    assert 'name="team" value="alpha" checked' in section(main(answer), "assign")
    # a course or a person not on the form (an old page, a crafted request)
    answer = lead.post(
        "/training/assign", {**form, "course": "no-such-course", "due": "2026-04-15"}
    )
    assert field_error(answer, "assign", "course") == "choose a course from the list"
    answer = lead.post("/training/assign", {**form, "person": "ghost", "due": "2026-04-15"})
    assert answer.status_code == 400
    assert field_error(answer, "assign", "people") == "nobody was assigned: unknown person 'ghost'"
    assert not training.assignments(course_id=WRITING)


def test_names_and_titles_on_the_assign_form_are_escaped(browser, hub, training):
    hub.people.save([attrs.evolve(hub.people.get("alpha-02"), name="<b>Bold</b> & Co")])
    form = section(main(browser("alpha-lead").get("/training/team")), "assign")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in form and "<b>Bold</b>" not in form


# -- waiving -----------------------------------------------------------------------------


def test_a_manager_waives_a_required_course(browser, hub, training):
    lead = browser("alpha-lead")
    page = main(lead.get("/training/people/alpha-01"))
    row = page.split('id="course-data-protection"')[1].split("</tr>")[0]
    assert "/training/people/alpha-01/courses/data-protection/waive" in row
    assert 'name="csrf_token"' in row
    url = "/training/people/alpha-01/courses/data-protection/waive"
    answer = lead.post(url, {"reason": "Did it <b>at HQ</b> in January", "until": "2026-12-31"})
    assert answer.status_code == 302, answer.text
    assert answer.headers["Location"].endswith("/training/people/alpha-01")
    [record] = [
        r for r in training.assignments(person_ids=["alpha-01"], course_id="data-protection")
    ]
    assert record.waived_reason == "Did it <b>at HQ</b> in January"
    assert record.waived_until == dt.date(2026, 12, 31)
    assert training.open_assignment("alpha-01", "data-protection") is None
    after = lead.get("/training/people/alpha-01")
    assert (
        "Data protection at the help desk is waived for Alpha Agent 1 until 2026-12-31."
        in flashes(after)
    )
    waived = section(main(after), "waived")
    assert "Data protection at the help desk" in waived
    assert "Did it &lt;b&gt;at HQ&lt;/b&gt; in January" in waived and "<b>at HQ" not in waived
    assert 'id="course-data-protection"' not in main(after)  # no longer to do
    # the matrix says so, and the person sees it on My training
    team = main(lead.get("/training/team"))
    assert team.count('class="cell state-waived"') == 1
    assert "Did it &lt;b&gt;at HQ&lt;/b&gt; in January" in section(
        main(browser("alpha-01").get("/training/")), "waived"
    )


@pytest.mark.parametrize("person_id", ["hr-1", "boss"])
def test_hr_and_higher_managers_waive_for_good(browser, hub, training, person_id):
    client = browser(person_id)
    url = "/training/people/beta-02/courses/moments-of-truth/waive"
    answer = client.post(url, {"reason": "Trainer of this course", "until": ""})
    assert answer.status_code == 302, answer.text
    [record] = training.assignments(person_ids=["beta-02"], course_id="moments-of-truth")
    assert record.waiver_in_effect(dt.date(2030, 1, 1)) and record.waived_until is None
    after = client.get("/training/people/beta-02")
    assert "Moments of truth is waived for Beta Agent 2." in flashes(after)
    assert "for good" in section(main(after), "waived")


@pytest.mark.parametrize(
    ("person_id", "want"),
    [("alpha-01", 403), ("alpha-02", 403), ("beta-lead", 403), (None, 302)],
)
def test_others_cannot_waive(browser, hub, training, person_id, want):
    client = browser(person_id)
    url = "/training/people/alpha-01/courses/data-protection/waive"
    for form in ({"reason": "Not needed"}, {"reason": ""}):
        assert client.post(url, form).status_code == want
    assert training.open_assignment("alpha-01", "data-protection") is not None
    assert not any(
        r.stored_status.value == "waived" for r in training.assignments(person_ids=["alpha-01"])
    )
    if person_id == "alpha-01":  # their own page offers no waiver
        assert "/waive" not in main(client.get("/training/"))


def test_waive_errors_are_next_to_their_fields(browser, hub, training):
    lead = browser("alpha-lead")
    url = "/training/people/alpha-01/courses/data-protection/waive"
    answer = lead.post(url, {"reason": "   ", "until": "2026-12-31"})
    assert answer.status_code == 400
    key = "waive-data-protection"
    assert field_error(answer, key, "reason") == "a waiver needs a reason"
    assert "--reason" not in answer.text
    assert '<details class="waive" open>' in answer.text
    assert 'name="until" min="2026-03-02" value="2026-12-31"' in answer.text
    answer = lead.post(url, {"reason": "Moved to <back office>", "until": "2026-01-31"})
    assert answer.status_code == 400
    assert field_error(answer, key, "until") == "2026-01-31 is in the past"
    assert 'value="Moved to &lt;back office&gt;"' in answer.text
    answer = lead.post(url, {"reason": "x" * 2001})
    assert field_error(answer, key, "reason") == "at most 2000 characters"
    answer = lead.post(url, {"reason": "fine", "until": "soon"})
    assert field_error(answer, key, "until") == "'soon' is not a date (use YYYY-MM-DD)"
    assert training.open_assignment("alpha-01", "data-protection") is not None
    assert lead.post(url.replace("data-protection", "nope"), {"reason": "x"}).status_code == 404


# -- in the reader's language ------------------------------------------------------------

SAID = {
    "es": {
        "form": [
            "Asignar un curso",
            "Elige un curso",
            "Personas",
            "todo el equipo (3 personas)",
            "Vence",
            "Asignar",
        ],
        "assigned": "Se ha asignado Comunicación escrita clara a 2 personas, con fecha límite el "
        "15 de abril de 2026.",
        "skipped": "Se ha omitido a 1 persona: Alpha Agent 1: ya asignado (n.º {id}, asignado)",
        "errors": ["elige un curso", "elige al menos una persona"],
        "waive": [
            "Eximir",
            "Por qué no es necesario",
            "Exención hasta (opcional; si lo dejas vacío, indefinidamente)",
            "Eximir del curso",
        ],
        "waived": "Se ha eximido a Alpha Agent 1 de Protección de datos en el servicio de soporte "
        "hasta el 31 de diciembre de 2026.",
        "no reason": "una exención necesita un motivo",
    },
    "da": {
        "form": [
            "Tildel et kursus",
            "Vælg et kursus",
            "Personer",
            "hele teamet (3 personer)",
            "Frist",
            "Tildel",
        ],
        "assigned": "Klar skriftlig kommunikation er tildelt 2 personer med frist den "
        "15. april 2026.",
        "skipped": "1 person blev sprunget over: Alpha Agent 1: allerede tildelt (nr. {id}, "
        "tildelt)",
        "errors": ["vælg et kursus", "vælg mindst én person"],
        "waive": [
            "Fritag",
            "Hvorfor det ikke er nødvendigt",
            "Fritaget til og med (valgfrit; tomt: permanent)",
            "Fritag for kurset",
        ],
        "waived": "Alpha Agent 1 er fritaget for Databeskyttelse i supporten til og med den "
        "31. december 2026.",
        "no reason": "en fritagelse kræver en begrundelse",
    },
    "sv": {
        "form": [
            "Tilldela en kurs",
            "Välj en kurs",
            "Personer",
            "hela teamet (3 personer)",
            "Senast",
            "Tilldela",
        ],
        "assigned": "Tydlig skriftlig kommunikation har tilldelats 2 personer, senast den "
        "15 april 2026.",
        "skipped": "1 person hoppades över: Alpha Agent 1: redan tilldelad (nr {id}, tilldelad)",
        "errors": ["välj en kurs", "välj minst en person"],
        "waive": [
            "Undanta",
            "Varför den inte behövs",
            "Undantagen till och med (valfritt; tomt: permanent)",
            "Undanta från kursen",
        ],
        "waived": "Alpha Agent 1 är undantagen från Dataskydd i supporten till och med den "
        "31 december 2026.",
        "no reason": "ett undantag kräver en motivering",
    },
}
ENGLISH = [
    "Assign a course",
    "Choose a course",
    "People",
    "the whole team",
    "Everyone you choose",
    "Assign",
    "Due",
    "Assigned",
    "skipped",
    "already assigned",
    "choose",
    "Waive",
    "Why it is not needed",
    "optional",
    "waived for",
    "a waiver needs",
]


def no_english(said: str) -> None:
    for english in ENGLISH:
        assert not re.search(rf"\b{re.escape(english)}\b", said), english


@pytest.mark.parametrize("lang", SAID)
def test_assigning_and_waiving_in_the_readers_language(lang, browser, hub, training):
    hub.people.save([attrs.evolve(hub.people.get("alpha-lead"), locale=lang)])
    said = SAID[lang]
    lead = browser("alpha-lead")
    page = lead.get("/training/team")
    assert f'<html lang="{lang}">' in page.text
    form = words(section(main(page), "assign"))
    for label in said["form"]:
        assert label in form, (label, form)
    no_english(form.replace("Alpha Agent", ""))
    # the flash, and the library's reason for skipping someone, with its status
    answer = lead.post("/training/assign", {"course": "", "due": "2026-04-15"})
    assert answer.status_code == 400
    form = words(section(main(answer), "assign"))
    for error in said["errors"]:
        assert error in form
    no_english(form.replace("Alpha Agent", ""))
    assert (
        lead.post(
            "/training/assign",
            {"course": WRITING, "person": ["alpha-01", "alpha-02"], "due": "2026-04-15"},
        ).status_code
        == 302
    )
    assert flashes(lead.get("/training/team")) == [said["assigned"]]
    lead.post("/training/assign", {"course": WRITING, "person": "alpha-01", "due": "2026-04-15"})
    [_, skipped] = flashes(lead.get("/training/team"))
    assert skipped == said["skipped"].format(id=assigned(training)["alpha-01"].id)
    no_english(skipped.replace("Alpha Agent", ""))
    # the waiver form, its error and its flash
    person = main(lead.get("/training/people/alpha-01"))
    row = person.split('id="course-data-protection"')[1].split("</tr>")[0]
    waive = words(row.split('<details class="waive"')[1].split("</details>")[0])
    for label in said["waive"]:
        assert label in waive, (label, waive)
    no_english(waive)
    url = "/training/people/alpha-01/courses/data-protection/waive"
    answer = lead.post(url, {"reason": " "})
    assert field_error(answer, "waive-data-protection", "reason") == said["no reason"]
    answer = lead.post(url, {"reason": "Trainer", "until": "2026-12-31"})
    assert answer.status_code == 302
    assert flashes(lead.get("/training/people/alpha-01")) == [said["waived"]]
