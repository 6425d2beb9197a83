"""Sample knowledge articles for ``corehub demo``: a Zendesk Guide export in each team's
language (and the shared English articles), imported, sampled and checked by coaches on
the content standard; then the help desk's tickets exported again with the articles each
was solved with (``linked_articles``), so reuse comes from the ticket links. A few links
name articles the export left out (drafts in another knowledge base): the import lists
them, and they do not count. Deterministic: the same data on every run."""

from __future__ import annotations

import json
import random
from typing import TYPE_CHECKING, Any

from corehub.models import Level
from corehub_quality import articles, scorecards

if TYPE_CHECKING:
    from corehub import Hub

TITLES = {
    "en": [
        "VPN client drops every ten minutes after update 5.1",
        "Printer on floor 3 shows offline after the print server restarts",
        "Outlook keeps asking for the password after a password change",
        "Cannot sign in: account locked after three attempts",
    ],
    "es": [
        "La VPN se corta cada diez minutos tras actualizar a la 5.1",
        "La impresora de la planta 3 aparece sin conexión",
        "Outlook pide la contraseña una y otra vez tras cambiarla",
        "No puedo iniciar sesión: cuenta bloqueada tras tres intentos",
        "Cómo pedir una copia de una factura",
    ],
    "da": [
        "VPN afbryder hvert tiende minut efter opdatering 5.1",
        "Printeren på 3. sal står som offline",
        "Outlook beder om adgangskoden igen efter skift af adgangskode",
        "Kan ikke logge ind: kontoen er låst efter tre forsøg",
        "Sådan får du en kopi af en faktura",
    ],
    "sv": [
        "VPN kopplar ner var tionde minut efter uppdatering 5.1",
        "Skrivaren på plan 3 står som offline",
        "Outlook frågar efter lösenordet igen efter lösenordsbyte",
        "Kan inte logga in: kontot är låst efter tre försök",
        "Så får du en kopia av en faktura",
    ],
}
SENIOR_SKILL = 0.97


def export(hub: Hub, rng: random.Random) -> dict[str, Any]:
    """A Zendesk Guide articles API export, with the users it names."""
    agents = [p for p in hub.people.list() if p.level is Level.OPERATIONAL]
    users = [{"id": 2000 + n, "email": a.email, "name": a.name} for n, a in enumerate(agents)]
    items: list[dict[str, Any]] = []
    number = 36000
    for n, agent in enumerate(agents):
        if agent.hire_date and agent.hire_date.year == 2026:
            continue  # recent hires have not written articles yet
        language = agent.locale or "en"
        senior = agent.role.startswith("Senior")
        count = 7 if senior else rng.randint(1, 6)
        for k in range(count):
            number += 1
            pool = TITLES["en"] if senior and k % 3 == 2 else TITLES.get(language, TITLES["en"])
            month = rng.choice((10, 11, 12)) if k < 6 else 9
            day = rng.randint(1, 9 if month == 12 else 28)
            items.append(
                {
                    "id": number,
                    "title": f"{pool[k % len(pool)]} ({agent.team})",
                    "author_id": 2000 + n,
                    "draft": k == count - 1 and count > 3 and not senior,
                    "locale": "en" if pool is TITLES["en"] else language,
                    "label_names": ["demo"],
                    "created_at": f"2026-{month:02d}-{day:02d}T09:00:00Z",
                    "updated_at": f"2026-{month:02d}-{day:02d}T10:00:00Z",
                }
            )
    return {"articles": items, "users": users}


def prepare(hub: Hub) -> None:
    rng = random.Random("kcs articles")
    folder = hub.require_workspace() / "imports"
    folder.mkdir(exist_ok=True)
    path = folder / "guide-articles.json"
    path.write_text(json.dumps(export(hub, rng), ensure_ascii=False, indent=1), encoding="utf-8")
    articles.import_articles(hub, path)
    articles.sample_checks(hub, "2026-Q4", per_author=6, seed=2026)
    card = scorecards.get(hub, articles.SCORECARD)
    skill: dict[str, float] = {}
    for check in articles.list_checks(hub):
        author = hub.people.get(check["author_id"])
        level = skill.setdefault(
            author.id,
            SENIOR_SKILL if author.role.startswith("Senior") else rng.uniform(0.6, 0.95),
        )
        answers = {
            qid: ("yes" if criterion["critical"] or rng.random() < level else "no")
            for qid, criterion in scorecards.criteria(card).items()
        }
        if author.role.startswith("Senior"):
            answers = dict.fromkeys(answers, "yes")
        articles.check_article(hub, check["id"], answers, submit=True, actor=check["coach_id"])
    link_tickets(hub, random.Random("kcs links"))


def link_tickets(hub: Hub, rng: random.Random) -> None:
    """Export the demo's tickets again, now with the published articles of the agent's team
    they were solved with, and import them: the articles' reuse comes from these links."""
    from corehub_quality.tickets import import_tickets

    path = hub.require_workspace() / "imports" / "zendesk-tickets.json"
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    teams = {p.email: p.team for p in hub.people.list() if p.email}
    emails = {u["id"]: u.get("email") for u in data.get("users", [])}
    by_team: dict[str, list[str]] = {}
    for row in hub.db.query(
        "SELECT a.article_id, p.team FROM quality_articles a JOIN people p ON p.id = a.author_id "
        "WHERE a.state = 'published' ORDER BY a.article_id"
    ):
        by_team.setdefault(row["team"], []).append(row["article_id"])
    for ticket in data["tickets"]:
        pool = by_team.get(teams.get(emails.get(ticket["assignee_id"]) or "", ""), [])
        if pool and rng.random() < 0.45:
            ticket["linked_articles"] = sorted(rng.sample(pool, rng.choice((1, 1, 1, 2))))
    data["tickets"][-1]["linked_articles"] = ["guide:99001"]  # not in the Guide export
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    import_tickets(hub, path)
