"""A given score stays as given: stored at submission with what produced it, never
recomputed on reading; ``review rescore`` is the explicit way, for open cycles only."""

from __future__ import annotations

import pytest

from corehub import hookimpl
from corehub.models import Report, ReportKind, ReviewScore
from corehub_self_assessment import reviews


class Strict:
    """An organization's scoring installed later: the lowest rating is the score."""

    __version__ = "2.1"

    @hookimpl
    def score_review(self, hub, review, form):
        values = [v for v in review.answers.values() if isinstance(v, int)]
        return ReviewScore(overall=min(values) if values else None)


@pytest.fixture
def submitted(hub, cycle, answers):
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    reviews.save_draft(hub, cycle, "alpha-01", "manager", answers["manager"], actor="alpha-lead")
    reviews.submit(hub, cycle, "alpha-01", "manager", actor="alpha-lead")
    return cycle


def overall(cli, kind="manager"):
    view = cli("review", "show", "--cycle", "2026 H1", "--person", "alpha-01", "--json").json()
    return view["reviews"][kind]["score"]["overall"], view["reviews"][kind]["scored_by"]


def test_the_score_is_stored_with_what_produced_it(hub, submitted, cli):
    given, source = overall(cli)
    assert given is not None and given > 2
    assert source["plugin"] == "self_assessment"
    assert source["plugin_version"] == "0.1.0"
    form = reviews.find(hub, submitted, "alpha-01", "manager").review.form
    assert (source["form"], source["form_version"]) == (form.id, form.version)
    assert source["scored_at"].startswith("2026-03-02")
    shown = cli("review", "show", "--person", "alpha-01").output
    assert "scored by" in shown and "self_assessment 0.1.0" in shown


def test_a_scoring_plugin_installed_later_changes_no_given_score(
    hub, submitted, cli, register_plugin
):
    before_manager, _ = overall(cli)
    before_self, _ = overall(cli, "self")
    reviews.release(hub, submitted, "alpha-01", actor="alpha-lead")
    register_plugin(Strict(), name="strict")
    assert overall(cli) == (before_manager, overall(cli)[1])
    assert overall(cli)[1]["plugin"] == "self_assessment"
    assert overall(cli, "self")[0] == before_self
    # the packet's ratings and the team summary read the same stored scores
    person = hub.people.get("alpha-01")
    packet = Report(
        kind=ReportKind.PACKET,
        cycle=submitted,
        locale="en",
        person=person,
        manager=hub.people.get("alpha-lead"),
    )
    summary = Report(kind=ReportKind.SUMMARY, cycle=submitted, locale="en", team="alpha")
    found = {
        s.id: s
        for _, result in hub.hook.register_report_sections.collect(hub=hub, report=packet)
        for s in result
    }
    ratings = found["self_assessment.ratings"].context(hub, packet)
    assert ratings["overall"]["manager"] == round(before_manager, 2)
    found = {
        s.id: s
        for _, result in hub.hook.register_report_sections.collect(hub=hub, report=summary)
        for s in result
    }
    heat = found["self_assessment.heatmap"].context(hub, summary)
    assert heat["people"][0]["cells"]  # competencies come from the stored score
    dist = found["self_assessment.distribution"].context(hub, summary)
    assert dist["mean_manager"] == round(before_manager, 2)


def test_a_draft_shows_a_preview_of_the_rule_installed_now(hub, cycle, cli, answers):
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    view = cli("--as", "alpha-01", "review", "show", "--json").json()
    assert view["reviews"]["self"]["scored_by"] is None
    assert view["reviews"]["self"]["score"]["overall"] is not None


def test_rescore_applies_the_rule_installed_now_and_says_what_changed(
    hub, submitted, cli, register_plugin
):
    before, _ = overall(cli)
    register_plugin(Strict(), name="strict")
    dry = cli("review", "rescore", "--cycle", submitted.name, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    assert {c["kind"] for c in dry.json()["changes"]} == {"self", "manager"}
    assert overall(cli)[0] == before  # a dry run stores nothing
    assert not list(hub.audit.events(action="review.rescored"))

    result = cli("review", "rescore", "--cycle", submitted.name)
    assert result.exit_code == 0, result.output
    assert "2 review(s) rescored" in result.output
    assert "strict 2.1" in result.output
    after, source = overall(cli)
    assert after == 1  # the lowest rating in the manager's answers
    assert (source["plugin"], source["plugin_version"]) == ("strict", "2.1")
    events = list(hub.audit.events(action="review.rescored"))
    assert len(events) == 2
    # a second run finds nothing to change
    again = cli("review", "rescore", "--cycle", submitted.name)
    assert "No score" in again.output


def test_a_closed_cycles_scores_are_never_recomputed(hub, submitted, cli, register_plugin):
    before, _ = overall(cli)
    hub.cycles.close(submitted.name, force=True, reason="end of test")
    register_plugin(Strict(), name="strict")
    result = cli("review", "rescore", "--cycle", submitted.name)
    assert result.exit_code == 1
    assert "closed" in result.output and "never recomputed" in result.output
    assert "Traceback" not in result.output
    assert overall(cli)[0] == before
    assert not list(hub.audit.events(action="review.rescored"))


def test_only_hr_rescores(hub, submitted, cli):
    result = cli("--as", "alpha-lead", "review", "rescore", "--cycle", submitted.name)
    assert result.exit_code == 1
    assert "rescoring is an action for HR" in result.output


def test_reopening_drops_the_given_score(hub, submitted, cli):
    reviews.reopen(hub, submitted, "alpha-01", "manager", reason="typo", actor="boss")
    view = cli("--as", "alpha-lead", "review", "show", "--person", "alpha-01", "--json").json()
    assert view["reviews"]["manager"]["status"] == "draft"
    assert view["reviews"]["manager"]["scored_by"] is None
    row = hub.db.table("self_assessment_reviews").get(view["reviews"]["manager"]["id"])
    assert row["score"] is None and row["score_source"] is None
