"""Web benchmarks: every page at 1,000 and 10,000 people, and a load test of 50 people at once.

**Pages at scale** (:func:`pages`): a 1,000- and a 10,000-person organization
(``COREHUB_BENCH_WEB_SIZES``) from the benchmarks' one builder, ``orgs.build`` with its
cycle kept open (kept in ``build/bench-orgs/`` between runs; every shipped plugin, realistic
data in each: reviews in every state and a calibration, required training with completions,
expired and overdue courses, praise, suggestions, pulse, upward and peer answers, customer
ratings, tickets sampled and graded, KCS articles, a quality calibration and disputes),
served with ``corehub serve``. It signs in as each role (HR, a director over a region, a
supervisor of a team, an agent of theirs: ``orgs.web_people``) and requests every page that
role reaches from its navigation and the links on its pages (the first page of each list
and one page further on). ``COREHUB_BENCH_WEB_ONLY`` (comma-separated parts of page
addresses, e.g. ``/reviews/calibration``) measures only the pages whose address contains
one of them, and skips the load test. Each page is measured
``COREHUB_BENCH_WEB_REPEAT`` times (default 15), interleaved with a bare Flask page served
the same way (waitress in a subprocess, the same threads) in the same run; it prints p50/p95
per page, the bare page's p95 and the ratio, and lists every GET route of the app that no
role reached, so a new page is not forgotten.

**Load test** (:func:`load_test`): each simulated person signs in by link, then for a bounded time saves their
self-assessment draft, gives praise and sends suggestions (each with a text of its own);
at the end they submit the self-assessment. Afterwards every write the server acknowledged
is looked up in the database: a praise or suggestion text that is not there, or a
submission that is not, is a lost write. Prints requests per second and p50/p95 latency of
corehub's pages and of a baseline measured in the same run (the same load against a bare
Flask app on the same waitress server, whose pages do nothing: the floor of the HTTP stack
on this machine), the errors and the lost writes; exits non-zero on any error, lost write,
"database is locked" or traceback in the server log.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

USERS = int(os.environ.get("COREHUB_BENCH_WEB_USERS", "50"))
SECONDS = float(os.environ.get("COREHUB_BENCH_WEB_SECONDS", "20"))
HOST = "127.0.0.1"
RATINGS = (
    "communication",
    "active_listening",
    "complaint_handling",
    "problem_solving",
    "product_knowledge",
    "stress_handling",
    "knowledge_sharing",
    "teamwork",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def setup(folder: Path) -> tuple[Path, list[str]]:
    """A workspace with 5 teams of 10 agents and their leads, and an open cycle."""
    from corehub.hub import Hub
    from corehub.models import Level, Person
    from corehub.workspace import init_workspace

    workspace = folder / "ws"
    init_workspace(workspace, organization="Load test desk").close()
    hub = Hub(workspace)
    people = [Person(id="dir", name="Director", level=Level.DIRECTIVE, team="Management")]
    agents = []
    for t in range(5):
        lead = f"lead-{t}"
        people.append(
            Person(
                id=lead,
                name=f"Lead {t}",
                level=Level.SUPERVISORY,
                team=f"team-{t}",
                manager_id="dir",
            )
        )
        for n in range(USERS // 5):
            pid = f"t{t}-{n:02d}"
            agents.append(pid)
            people.append(
                Person(
                    id=pid,
                    name=f"Agent {t}.{n}",
                    level=Level.OPERATIONAL,
                    team=f"team-{t}",
                    manager_id=lead,
                    role="Service desk agent",
                )
            )
    hub.people.save(people)
    today = hub.clock.today()
    hub.cycles.create(
        "Load",
        start=today - dt.timedelta(days=10),
        end=today + dt.timedelta(days=60),
        due={"self": today + dt.timedelta(days=20)},
    )
    hub.cycles.open("Load")
    hub.close()
    return workspace, agents


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=60) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode()
        self.latencies.append(time.perf_counter() - start)
        if status >= 400:
            self.errors.append(f"{status} {path}: {re.sub(r'<[^>]+>', ' ', text)[:300]}")
        return status, text


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        return fp


def field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    if not match:
        raise AssertionError(f"no field {name}")
    return match.group(1)


def user(
    base: str,
    link: str,
    person: str,
    cycle_id: int,
    deadline: float,
    sent: dict[str, int],
    client: Client,
    acknowledged: list[tuple[str, str]] | None = None,
) -> None:
    """One person at work; every write the server acknowledged goes into ``acknowledged``
    as (kind, text), to be found in the database afterwards."""
    rng = random.Random(person)
    acknowledged = acknowledged if acknowledged is not None else []
    n = 0
    path = urllib.parse.urlparse(link).path
    _, page = client.request(path)
    status, _ = client.request(
        "/sign-in", {"token": path.rsplit("/", 1)[1], "csrf_token": field(page, "csrf_token")}
    )
    if status != 302:
        client.errors.append(f"sign-in {person}: {status}")
        return
    url = f"/reviews/{cycle_id}/{person}/self"
    answers: dict[str, str] = {}
    while time.monotonic() < deadline:
        _, page = client.request(url)
        csrf, version = field(page, "csrf_token"), field(page, "version")
        answers = {f"q-{q}": str(rng.randint(1, 5)) for q in RATINGS}
        answers["q-strengths"] = f"Strength noted at {time.time()}"
        status, _ = client.request(
            url, {**answers, "version": version, "csrf_token": csrf, "action": "save"}
        )
        n += 1
        to = f"t{rng.randint(0, 4)}-{rng.randint(0, USERS // 5 - 1):02d}"
        if to != person:
            text = f"Thanks! ({person} #{n})"
            status, _ = client.request(
                "/feedback/praise", {"to": to, "text": text, "csrf_token": csrf}
            )
            if status == 302:
                sent["praise"] += 1
                acknowledged.append(("praise", text))
        text = f"Idea {person} #{n}"
        status, _ = client.request(
            "/feedback/suggestion",
            {
                "text": text,
                "csrf_token": csrf,
                **({"anonymous": "yes"} if rng.random() < 0.5 else {}),
            },
        )
        if status == 302:
            sent["suggestion"] += 1
            acknowledged.append(("suggestion", text))
    _, page = client.request(url)
    final = {
        **answers,
        "q-improvements": "Listen more.",
        "q-goals_next-rows": "1",
        "q-goals_next-0-objective": "Faster",
        "q-goals_next-0-result": "FCR 75%",
        "q-goals_next-0-due": "2027-01-31",
        "q-suggestions": "More training.",
        "version": field(page, "version"),
        "csrf_token": field(page, "csrf_token"),
        "action": "submit",
    }
    status, _ = client.request(url, final)
    if status == 302:
        sent["submitted"] += 1


BASELINE_APP = """
import logging, sys, waitress
from flask import Flask, redirect
logging.getLogger("waitress").setLevel(logging.ERROR)
app = Flask("baseline")
PAGE = '<form><input name="csrf_token" value="t"><input name="version" value="1"></form>'
@app.get("/<path:anything>")
def page(anything): return PAGE
@app.post("/<path:anything>")
def post(anything): return redirect("/done")
waitress.serve(app, host=sys.argv[1], port=int(sys.argv[2]), threads=8, _quiet=True)
"""


def wait_for(base: str, seconds: float = 120) -> None:
    """Until the server at ``base`` answers (a busy machine starts it slowly)."""
    for _ in range(int(seconds * 10)):
        try:
            urllib.request.urlopen(base + "/sign-in", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)


def load(
    base: str, links: list[tuple[str, str]], cycle_id: int
) -> tuple[float, list[Client], list[dict[str, int]], list[tuple[str, str]]]:
    """Every (link, person) signs in and works until the deadline, each in its own thread."""
    sent = {"praise": 0, "suggestion": 0, "submitted": 0}
    counts = [dict(sent) for _ in links]
    clients = [Client(base) for _ in links]
    acknowledged: list[list[tuple[str, str]]] = [[] for _ in links]
    deadline = time.monotonic() + SECONDS
    threads = [
        threading.Thread(
            target=user,
            args=(base, url, person, cycle_id, deadline, counts[i], clients[i], acknowledged[i]),
        )
        for i, (url, person) in enumerate(links)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return (
        time.perf_counter() - start,
        clients,
        counts,
        [write for writes in acknowledged for write in writes],
    )


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank); 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))]


def baseline(agents: list[str]) -> tuple[float, list[float], list[str]]:
    """The same load against a bare Flask app (no corehub) on the same waitress server:
    requests per second, every request's latency, and the errors."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen([sys.executable, "-c", BASELINE_APP, HOST, str(port)])
    try:
        wait_for(base)
        links = [(f"{base}/sign-in/t{n}", person) for n, person in enumerate(agents)]
        elapsed, clients, _, _ = load(base, links, 1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies = [x for c in clients for x in c.latencies]
    return len(latencies) / elapsed, latencies, [e for c in clients for e in c.errors]


def load_test() -> None:
    from corehub.hub import Hub
    from corehub.web import tokens

    with tempfile.TemporaryDirectory(prefix="corehub-bench-web-") as tmp:
        workspace, agents = setup(Path(tmp))
        port = free_port()
        base = f"http://{HOST}:{port}"
        log = open(Path(tmp) / "server.log", "w+")  # noqa: SIM115
        server = serve(workspace, port, log)
        try:
            wait_for(base)
            hub = Hub(workspace)
            invitations = tokens.invite(hub, [hub.people.get(p) for p in agents], base_url=base)
            cycle_id = hub.cycles.get("Load").id
            hub.close()
            links = [(inv.url, inv.person.id) for inv in invitations]
            elapsed, clients, counts, acknowledged = load(base, links, cycle_id)
        finally:
            server.terminate()
            server.wait(timeout=10)
        log.seek(0)
        server_log = log.read()
        latencies = sorted(x for c in clients for x in c.latencies)
        errors = [e for c in clients for e in c.errors]
        totals = {k: sum(c[k] for c in counts) for k in ("praise", "suggestion", "submitted")}
        hub = Hub(workspace)
        stored = {
            "praise": hub.db.execute(
                "SELECT count(*) FROM feedback WHERE kind='praise'"
            ).fetchone()[0],
            "suggestion": hub.db.execute(
                "SELECT count(*) FROM feedback WHERE kind='suggestion'"
            ).fetchone()[0],
            "submitted": hub.db.execute(
                "SELECT count(*) FROM self_assessment_reviews WHERE kind='self' AND status='submitted'"
            ).fetchone()[0],
        }
        texts = {
            (row["kind"], row["text"])
            for row in hub.db.query(
                "SELECT kind, text FROM feedback WHERE kind IN ('praise', 'suggestion')"
            )
        }
        hub.close()
        lost = [write for write in acknowledged if write not in texts]
        lost_count = len(lost) + sum(max(0, totals[k] - stored[k]) for k in ("submitted",))
        rate = len(latencies) / elapsed
        floor, floor_latencies, floor_errors = baseline(agents)

        def ms(values: list[float], fraction: float) -> str:
            return f"{percentile(values, fraction) * 1000:.0f} ms"

        print(
            f"   {len(links)} concurrent users for {elapsed:.1f}s, {len(latencies)} requests: "
            f"{rate:.0f} requests/s; bare Flask on the same server {floor:.0f} requests/s: "
            f"ratio {floor / rate:.1f}x"
        )
        print(
            f"   corehub pages: p50 {ms(latencies, 0.5)}, p95 {ms(latencies, 0.95)}, "
            f"max {ms(latencies, 1.0)}; bare Flask page: p50 {ms(floor_latencies, 0.5)}, "
            f"p95 {ms(floor_latencies, 0.95)}, max {ms(floor_latencies, 1.0)}"
        )
        print(f"   acknowledged {totals}; stored {stored}")
        locked = "database is locked" in server_log
        print(
            f"   errors: {len(errors)} (bare Flask: {len(floor_errors)}); lost writes: "
            f"{lost_count} of {len(acknowledged) + totals['submitted']} acknowledged; "
            f"'database is locked' in server log: {locked}"
        )
        for line in errors[:10]:
            print("     ", line)
        for kind, text in lost[:10]:
            print(f"      lost {kind}: {text!r}")
        if errors or lost_count or locked or "Traceback" in server_log:
            print(server_log[-3000:])
            raise SystemExit(
                f"bench_web: FAILED ({len(errors)} errors, {lost_count} lost writes, "
                f"database locked: {locked})"
            )


# -- pages at 1,000 and 10,000 people ------------------------------------------------

SIZES = tuple(
    int(n) for n in os.environ.get("COREHUB_BENCH_WEB_SIZES", "1000,10000").split(",") if n
)
REPEAT = int(os.environ.get("COREHUB_BENCH_WEB_REPEAT", "15"))
ONLY = tuple(p for p in os.environ.get("COREHUB_BENCH_WEB_ONLY", "").split(",") if p)
"""Parts of page addresses: when given, only the pages whose address contains one."""
NOT_PAGES = {
    "static": "static files",
    "corehub.fonts": "font files",
    "corehub.packet": "a PDF (the render benchmark measures packets)",
    "corehub.summary": "a PDF (the render benchmark measures summaries)",
    "corehub.home": "a redirect to My tasks",
    "corehub.sign_in_link": "a sign-in link (single use)",
    "training_tracker.stylesheet": "a stylesheet",
    "training_tracker.evidence": "an evidence file download",
}
"""GET routes that are not pages, with why they are left out."""
ROLES = ("hr", "director", "manager", "agent")


def web_org(folder: Path, size: int) -> tuple[Path, dict[str, str]]:
    """A copy of the organization of ``size`` people that ``orgs.kept`` keeps with its cycle
    open (every shipped plugin, data in each; see ``orgs.build``), and whom each role signs
    in as (``orgs.web_people``), with the pages a role reaches from a notification rather
    than a menu: the open dispute, the peer feedback the agent was asked for, the quality
    calibration session the manager grades in and a closed one's results. A calibration
    session over the whole cycle is opened in the copy (the organization's own is closed),
    so that the calibration page is measured with its form, as HR and the directors use it
    during a session; ``open:find`` is what they type into its search (the agent's first
    name, someone both may calibrate)."""
    import shutil

    import orgs

    from corehub_self_assessment import calibration

    workspace = folder / f"org-{size}"
    shutil.copytree(orgs.kept(size, keep_open=True), workspace)
    (workspace / ".complete").unlink()
    hub = orgs.hub_for(workspace)
    try:
        if not any(
            s["status"] == "open" for s in calibration.sessions(hub, hub.cycles.get(orgs.CYCLE[0]))
        ):
            calibration.open_session(hub, orgs.CYCLE[0], "all", actor=orgs.HR)
        roles = orgs.web_people(hub)
        opened: dict[str, Any] = {
            "cycle": hub.db.execute(
                "SELECT id FROM cycles WHERE name = ?", [orgs.CYCLE[0]]
            ).fetchone()[0],
            "dispute": hub.db.execute(
                "SELECT max(id) FROM quality_disputes WHERE status = 'open'"
            ).fetchone()[0],
            "peer": hub.db.execute(
                "SELECT min(subject_id) FROM tasks WHERE kind = 'peer' AND assignee_id = ?",
                [roles["agent"]],
            ).fetchone()[0],
            "calibration": hub.db.execute(
                "SELECT max(id) FROM quality_calibrations WHERE status = 'open'"
            ).fetchone()[0],
            "calibration results": hub.db.execute(
                "SELECT max(id) FROM quality_calibrations WHERE status = 'closed'"
            ).fetchone()[0],
        }
        opened["find"] = hub.people.get(roles["agent"]).name.split()[0]
    finally:
        hub.close()
    return workspace, roles | {f"open:{k}": str(v) for k, v in opened.items() if v is not None}


def sign_in_as(base: str, workspace: Path, person_id: str) -> Client:
    """A client signed in as ``person_id`` by a fresh link."""
    from corehub.hub import Hub
    from corehub.web import tokens

    hub = Hub(workspace)
    [invitation] = tokens.invite(hub, [hub.people.get(person_id)], base_url=base)
    hub.close()
    client = Client(base)
    path = urllib.parse.urlparse(invitation.url).path
    _, page = client.request(path)
    status, _ = client.request(
        "/sign-in", {"token": path.rsplit("/", 1)[1], "csrf_token": field(page, "csrf_token")}
    )
    if status != 302:
        raise SystemExit(f"bench_web: {person_id} could not sign in ({status})")
    return client


def crawl(client: Client, adapter: Any, start: list[str], limit: int = 80) -> dict[str, str]:
    """The pages a signed-in person reaches by links from ``start``: one address per route
    and set of query arguments (a list's first page, and one of its further pages)."""
    import html as html_lib

    from werkzeug.exceptions import HTTPException

    found: dict[str, str] = {}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    queue = list(start)
    while queue and len(found) < limit:
        path = queue.pop(0)
        status, text = client.request(path)
        if status != 200:
            continue
        parts = urllib.parse.urlsplit(path)
        endpoint, _ = adapter.match(parts.path, method="GET")
        args = sorted(urllib.parse.parse_qs(parts.query))
        found[endpoint + (f"?{'&'.join(args)}" if args else "")] = path
        for href in re.findall(r'href="(/[^"#]*)"', text):
            href = html_lib.unescape(href)
            link = urllib.parse.urlsplit(href)
            try:
                target, _ = adapter.match(link.path, method="GET")
            except HTTPException:
                continue
            if target in NOT_PAGES:
                continue
            key = (target, tuple(sorted(urllib.parse.parse_qs(link.query))))
            if key not in seen:
                seen.add(key)
                queue.append(href)
    return found


def serve(workspace: Path, port: int, log: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "COREHUB_SECRET_KEY": "b" * 48}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "corehub",
            "--workspace",
            str(workspace),
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--threads",
            "8",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )


def measure_pages(size: int, tmp: Path) -> dict[str, Any]:
    """Every page of every role at ``size`` people, against a bare Flask page, interleaved."""
    from corehub.web.app import create_app, workspace_hub_factory

    start = time.perf_counter()
    workspace, roles = web_org(tmp, size)
    print(f"   {size} people: organization ready in {time.perf_counter() - start:.0f}s")
    os.environ.setdefault("COREHUB_SECRET_KEY", "b" * 48)
    app = create_app(workspace_hub_factory(workspace))
    cycle_id = int(roles["open:cycle"])
    adapter = app.url_map.bind("localhost")
    port, bare_port = free_port(), free_port()
    base, bare_base = f"http://{HOST}:{port}", f"http://{HOST}:{bare_port}"
    log = open(tmp / f"server-{size}.log", "w+")  # noqa: SIM115
    server = serve(workspace, port, log)
    bare = subprocess.Popen([sys.executable, "-c", BASELINE_APP, HOST, str(bare_port)])
    results: list[dict[str, Any]] = []
    bare_all: list[float] = []
    reached: set[str] = set()
    try:
        wait_for(base)
        wait_for(bare_base)
        bare_client = Client(bare_base)
        anonymous = Client(base)
        visits = {"signed out": {"corehub.sign_in": "/sign-in"}}
        clients = {"signed out": anonymous}
        for role in ROLES:
            clients[role] = sign_in_as(base, workspace, roles[role])
            # My tasks, and the pages a role opens by address (calibration has no menu link)
            start = ["/tasks"]
            if role in ("hr", "director"):
                start.append(f"/reviews/calibration/{cycle_id}")
                # its search, the people found (their pages, the one chosen) by links
                find = urllib.parse.quote(roles["open:find"])
                start.append(f"/reviews/calibration/{cycle_id}?find={find}")
            # the pages a role reaches from a notification or a list past the crawl's limit:
            # the dispute HR resolves, an agent's KCS page, the peer feedback the agent was
            # asked for, the quality calibration session the manager grades in
            if role == "hr":
                if "open:dispute" in roles:
                    start.append(f"/quality/dispute/{roles['open:dispute']}")
                start.append(f"/training/kcs/{roles['agent']}")
                if "open:calibration results" in roles:
                    start.append(f"/quality/calibration/{roles['open:calibration results']}")
            if role == "agent" and "open:peer" in roles:
                start.append(f"/feedback/peer/{cycle_id}/{roles['open:peer']}")
            if role == "manager" and "open:calibration" in roles:
                start.append(f"/quality/calibration/{roles['open:calibration']}")
            visits[role] = crawl(clients[role], adapter, start)
        for role, pages_ in visits.items():
            client = clients[role]
            for key, path in sorted(pages_.items()):
                reached.add(key.split("?")[0])
                if ONLY and not any(part in path for part in ONLY):
                    continue
                client.request(path)  # warm: the first request compiles the templates
                ours: list[float] = []
                floor: list[float] = []
                for _ in range(REPEAT):
                    t0 = time.perf_counter()
                    status, _ = client.request(path)
                    ours.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    bare_client.request(path)
                    floor.append(time.perf_counter() - t0)
                bare_all += floor
                results.append(
                    {"role": role, "page": key, "path": path, "status": status, "times": ours}
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
        bare.terminate()
        bare.wait(timeout=10)
    log.seek(0)
    server_log = log.read()
    floor_p95 = percentile(bare_all, 0.95)
    floor_p50 = percentile(bare_all, 0.5)
    print(
        f"   bare Flask page, same server, same run: p50 {floor_p50 * 1000:.1f} ms, "
        f"p95 {floor_p95 * 1000:.1f} ms ({len(bare_all)} requests)"
    )
    print(f"   {'role':<10} {'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>7}")
    worst = 0.0
    for row in results:
        p95 = percentile(row["times"], 0.95)
        row["ratio"] = p95 / floor_p95
        worst = max(worst, row["ratio"])
        flag = "" if row["status"] == 200 else f"  (HTTP {row['status']})"
        print(
            f"   {row['role']:<10} {row['page'][:44]:<44} "
            f"{percentile(row['times'], 0.5) * 1000:8.1f} {p95 * 1000:8.1f} "
            f"{row['ratio']:6.1f}x{flag}"
        )
    get_rules = sorted({r.endpoint for r in app.url_map.iter_rules() if "GET" in (r.methods or ())})
    missed = [e for e in get_rules if e not in reached and e not in NOT_PAGES]
    print(f"   worst page: {worst:.1f}x a bare Flask page (goal: within 20x)")
    if missed and not ONLY:
        print(f"   GET routes no role reached by links (not measured): {', '.join(missed)}")
    if "Traceback" in server_log:
        print(server_log[-3000:])
        raise SystemExit("bench_web: the server logged a traceback")
    return {"size": size, "floor_p95": floor_p95, "pages": results, "missed": missed}


def pages() -> list[dict[str, Any]]:
    """Every page at each size of ``SIZES``."""
    found = []
    for size in SIZES:
        with tempfile.TemporaryDirectory(prefix="corehub-bench-web-pages-") as tmp:
            found.append(measure_pages(size, Path(tmp)))
    return found


def main() -> None:
    pages()
    if not ONLY:
        load_test()


if __name__ == "__main__":
    main()
