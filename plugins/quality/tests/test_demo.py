"""``corehub demo`` with the quality plugin: an export imported, samples graded, one
calibration session, one dispute; the same data on every run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def build(folder: Path) -> Any:
    from corehub.demo import build_demo

    return build_demo(folder, echo=lambda _line: None)


def snapshot(hub: Any) -> dict[str, Any]:
    grades = [
        {k: v for k, v in row.items() if k not in {"saved_at", "submitted_at"}}
        for row in hub.db.table("quality_grades").rows
    ]
    return {"grades": grades, "tickets": hub.db.table("quality_tickets").count}


def test_demo_imports_samples_grades_calibrates_and_disputes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corehub_quality import calibration, disputes, sampling

    monkeypatch.setenv("COREHUB_LOAD_PLUGINS", "quality")
    demo = build(tmp_path / "one")
    hub = demo.hub
    try:
        export = json.loads((Path(hub.workspace) / "imports" / "zendesk-tickets.json").read_text())
        assert hub.db.table("quality_tickets").count == len(export["tickets"]) > 500
        email = hub.people.get("mad-01").email
        user = next(u["id"] for u in export["users"] if u.get("email") == email)
        spanish = next(t for t in export["tickets"] if t["assignee_id"] == user)
        assert spanish["comments"][0]["body"] in {
            "Desde esta mañana no puedo entrar.",
            "La VPN se corta cada diez minutos.",
            "La impresora de la 3.ª planta dice «sin conexión».",
            "Necesito una copia de la factura 2231.",
        }
        status = sampling.status(hub)
        assert sum(r["submitted"] for r in status) > 300
        assert 0 < sum(r["open"] for r in status) <= 8
        results = calibration.results(hub, "2026-11 written")
        assert "tone" in results["read_differently"]
        resolved = [g for g in disputes.list_grades(hub) if g["dispute"]]
        assert [g["dispute"] for g in resolved] == ["changed"]
        first = snapshot(hub)
    finally:
        hub.close()
    again = build(tmp_path / "two")
    try:
        assert snapshot(again.hub) == first
    finally:
        again.hub.close()
