"""P6 (issue 22): an approval click as a user makes it, beside a bare viewflow step with the same page.

A click is what the browser does when a person decides a step of the budget chain: the POST of the
step's page and the GET of the page its redirect lands on, timed together and their queries counted
together (CaptureQueriesContext). Requests go through Django's test ``Client`` in this process: real
PostgreSQL, the project's middleware, database sessions and flash messages (the test client does not
check CSRF tokens). Each person has their own logged-in client, and opens the step's page (GET, not
timed) before deciding it, as they would. The chain of one generated grassroots union:

    setup (not a click)  the office staff creates a budget and saves its lines (budget new, edit)
    draft (submit)       the office staff submits it, asking two congress representatives for opinions
    opinion 1, opinion 2 each representative answers from the opinion page (the second fires the join)
    consolidate          the office staff submits the consolidated budget
    audit committee      its director records the meeting that approves it (meeting page)
    Party decision       the Party secretary records the written decision
    congress             the congress chair records the meeting that puts the budget in force

The bare comparison: a bare viewflow flow of seven stock View steps (bench/bareflow), one per click.
For each, the same person POSTs to a bench-only view (bench/bareflow/views.py) that runs the step as
viewflow's own task view does (under select_for_update_lock: assign, start, execute), flashes a
message and redirects to the page the matching Wuyi click landed on in the chain just before; that
page is fetched as part of the bare click. Both clicks pay the same middleware, session and landing
page; the difference is the step. The landing page has the same address, not always the same work:
the Wuyi step has just changed what it lists (e.g. the inbox renders anew, where after the bare step
it may come from the inbox cache), so the rows show the POST and the page apart. One Wuyi chain then
one bare chain, interleaved (a shared machine's speed drifts); after the timed chains, a few more
count the queries (counting slows a click, so timed clicks are not counted).

Targets: every Wuyi click p95 ≤ 150 ms, median queries per step ≤ 25 (full scale). A step's queries
are its POST's: the issue's "median queries per step". Read as the whole click they could not be met
by any step: a stock viewflow View step and the same landing page take 24 together (bare, small scale).
The queries that viewflow's own code issues inside a Wuyi step are counted apart ("viewflow's engine"):
a join or a split costs what viewflow makes it cost.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time
from dataclasses import dataclass, field

from bench.measure import REPEAT, RESULTS, SCALE, log, recording, spread, write_profile

TARGET_P95_MS = 150.0
TARGET_QUERIES = 25
COUNTED_CHAINS = int(os.environ.get("BENCH_P6_COUNTED", "3"))
STEPS = [
    "draft (submit)",
    "opinion 1",
    "opinion 2 (the join fires)",
    "consolidate (submit)",
    "audit committee meeting",
    "Party written decision",
    "congress meeting (puts it in force)",
]
LINES = {
    "401": "120000.00",
    "402": "300000.00",
    "50101": "150000.00",
    "50102": "200000.00",
    "50502": "60000.00",
}


class ClickFailed(RuntimeError):
    pass


@dataclass
class Cast:
    """A generated grassroots union, the people of its budget chain and free fiscal years."""

    union_id: int
    drafter: object
    reps: list
    audit_director: object
    party_secretary: object
    congress_chair: object
    audit_body_id: int
    congress_body_id: int
    audit_people: list[int]
    congress_people: list[int]
    free_years: list[int]

    def users(self) -> list:
        """The person who decides each step, in STEPS order."""
        return [
            self.drafter,
            *self.reps,
            self.drafter,
            self.audit_director,
            self.party_secretary,
            self.congress_chair,
        ]


def chain_cast(years_needed: int) -> Cast:
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from core.models import Body, Role, Seat, Union, UnionKind
    from workflows.budget.models import Budget

    candidates = (
        Union.objects.filter(kind=UnionKind.GRASSROOTS, code__startswith="bench-")
        .annotate(
            n=Coalesce(
                Subquery(
                    Budget.objects.filter(union=OuterRef("pk"))
                    .values("union")
                    .annotate(c=Count("id"))
                    .values("c")
                ),
                0,
            )
        )
        .order_by("n", "id")
    )
    for union in candidates[:50]:
        seats = list(Seat.objects.filter(union=union).in_force().select_related("body", "person"))

        def holders(role, body_kind=None, seats=seats):
            kinds = [(s, s.body.kind if s.body_id else None) for s in seats]
            return [s.person for s, kind in kinds if s.role == role and kind == body_kind]

        office, reps = holders(Role.OFFICE_STAFF), holders(Role.REPRESENTATIVE, "congress")
        chairs, audit = holders(Role.CHAIR, "congress"), holders(Role.DIRECTOR, "audit_committee")
        party = holders(Role.SECRETARY, "party_organization")
        if not (office and len(reps) >= 2 and chairs and audit and party):
            continue
        used = set(Budget.objects.filter(union=union).values_list("year", flat=True))
        free = [y for y in range(2028, 2101) if y not in used]
        if len(free) < years_needed:
            continue
        bodies = {b.kind: b.pk for b in Body.objects.filter(union=union)}
        members = {k: sorted({s.person_id for s in seats if s.body_id == pk}) for k, pk in bodies.items()}
        return Cast(
            union.pk,
            office[0],
            reps[:2],
            audit[0],
            party[0],
            chairs[0],
            bodies["audit_committee"],
            bodies["congress"],
            members["audit_committee"],
            members["congress"],
            free,
        )
    raise RuntimeError("no generated grassroots union can take the P6 budgets")


class Browsers:
    """One logged-in test client per person, kept for the whole run (their session persists)."""

    def __init__(self):
        self.clients: dict[int, object] = {}

    def of(self, person):
        from django.test import Client

        if person.pk not in self.clients:
            client = Client()
            client.force_login(person)
            self.clients[person.pk] = client
        return self.clients[person.pk]


def _problem(response) -> str:
    import re

    text = re.sub(r"<[^>]+>", " ", response.content.decode(errors="replace"))
    return " ".join(text.split())[:600]


@dataclass
class Recorder:
    """Times clicks, or counts their queries; the landing address of each click is returned."""

    name: str = "Wuyi"
    counting: bool = False
    profiler: object = None
    ms: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    queries: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    profile: list[tuple[str, list[dict]]] = field(default_factory=list)
    landed: dict[str, str] = field(default_factory=dict)
    setup_ms: list[float] = field(default_factory=list)

    def click(self, step: str, client, url: str, data: dict) -> str:
        if self.counting:
            return self._counted(step, client, url, data)
        profiled = self.profiler is not None and os.environ.get("BENCH_CPROFILE_STEP", "") in step
        if profiled:
            self.profiler.enable()
        started = time.perf_counter()
        landing = _post(client, url, data)
        posted = time.perf_counter()
        _land(client, landing)
        done = time.perf_counter()
        if profiled:
            self.profiler.disable()
        self.ms.setdefault(step, []).append(((posted - started) * 1000, (done - posted) * 1000))
        self.landed[step] = landing
        return landing

    def _counted(self, step: str, client, url: str, data: dict) -> str:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as post_q, recording() as post_rec:
            landing = _post(client, url, data)
        with CaptureQueriesContext(connection) as page_q, recording() as page_rec:
            _land(client, landing)
        engine = sum(1 for q in post_rec if q["engine"])  # issued by viewflow's own code
        self.queries.setdefault(step, []).append(
            (len(post_q.captured_queries), len(page_q.captured_queries), engine)
        )
        self.profile.append((f"{self.name} {step}: POST {url}", post_rec))
        self.profile.append((f"{self.name} {step}: landing page {landing}", page_rec))
        return landing

    def last_profile(self, n: int) -> list[tuple[str, list[dict]]]:
        return self.profile[-2 * n :]


def _post(client, url: str, data: dict) -> str:
    # as a browser posts a form; the test client does not check the token
    response = client.post(url, {"csrfmiddlewaretoken": "bench", **data})
    if response.status_code != 302:
        raise ClickFailed(f"POST {url}: {response.status_code}, {_problem(response)}")
    return response["Location"]


def _land(client, landing: str) -> None:
    page = client.get(landing)
    if page.status_code != 200:
        raise ClickFailed(f"GET {landing}: {page.status_code}, {_problem(page)}")


# --- one chain of each -----------------------------------------------------------------------------


def _open_item(process_id: int, step: str, assignee=None) -> int:
    from workflows.models import WorkItem, WorkItemState

    items = WorkItem.objects.filter(process_id=process_id, state=WorkItemState.OPEN, step=step)
    if assignee is not None:
        items = items.filter(assignee=assignee)
    return items.values_list("pk", flat=True).get()


def _new_budget(cast: Cast, browsers: Browsers, year: int) -> int:
    """Budget new and edit (save and submit), as the office staff does; lands on the submit page."""
    from django.urls import resolve, reverse

    client = browsers.of(cast.drafter)
    data = {"year": str(year), "carryover": "20000.00", "carryover_is_estimate": "on", "note": ""}
    edit_url = _post(client, reverse("budget:new", args=[cast.union_id]), data)
    budget_pk = resolve(edit_url.split("?")[0]).kwargs["pk"]
    lines = {f"amount_{code}": amount for code, amount in LINES.items()}
    data = {
        "carryover": "20000.00",
        "carryover_is_estimate": "on",
        "note": "",
        **lines,
        "save_and_submit": "1",
    }
    _land(client, _post(client, edit_url, data))
    return budget_pk


def _meeting_data(item_id: int, attendees: list[int]) -> dict:
    """The meeting page's fields: every seated member attends, the item is on the agenda, all vote for."""
    prefix = f"item-{item_id}-"
    return {
        "held_on": _today().isoformat(),
        "place": "会议室",
        "minutes": "审议了预算草案",
        "attendees": [str(pk) for pk in attendees],
        "agenda": [str(item_id)],
        prefix + "resolution": "approve",
        prefix + "votes_for": str(len(attendees)),
        prefix + "votes_against": "0",
        prefix + "votes_abstain": "0",
        prefix + "opinions": "",
    }


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def _opened(client, url: str) -> str:
    """The person opens the step's page before deciding it (not timed)."""
    _land(client, url)
    return url


def wuyi_chain(cast: Cast, browsers: Browsers, rec: Recorder, year: int) -> list[str]:
    """The seven clicks of one budget; returns where each landed."""
    from django.urls import reverse

    from workflows.budget.models import Budget

    started = time.perf_counter()
    budget_pk = _new_budget(cast, browsers, year)
    if not rec.counting:
        rec.setup_ms.append((time.perf_counter() - started) * 1000)
    process_id = Budget.objects.values_list("process_id", flat=True).get(pk=budget_pk)
    drafter = browsers.of(cast.drafter)
    submit = reverse("budget:submit", args=[budget_pk])
    due = (_today() + datetime.timedelta(days=7)).isoformat()
    recipients = [f"r{p.pk}" for p in cast.reps]
    landed = [rec.click(STEPS[0], drafter, submit, {"recipients": recipients, "due_date": due})]
    for step, rep in zip(STEPS[1:3], cast.reps, strict=True):
        item = _open_item(process_id, "give_opinion", assignee=rep)
        url = _opened(browsers.of(rep), reverse("workflows:opinion_answer", args=[item]))
        landed.append(rec.click(step, browsers.of(rep), url, {"answer": "opinion", "text": "同意"}))
    # the consolidation's form asks nothing: the browser posts the due date shown and the token
    landed.append(rec.click(STEPS[3], drafter, _opened(drafter, submit), {"due_date": due}))
    for step, who, body, people, node in [
        (STEPS[4], cast.audit_director, cast.audit_body_id, cast.audit_people, "audit_review"),
        (STEPS[5], cast.party_secretary, None, None, "party_approval"),
        (STEPS[6], cast.congress_chair, cast.congress_body_id, cast.congress_people, "congress_ratification"),
    ]:
        item, client = _open_item(process_id, node), browsers.of(who)
        if body is None:
            url = _opened(client, reverse("workflows:written_decision", args=[item]))
            data = {"resolution": "approve", "reference_number": "机党〔2026〕1号", "opinions": ""}
            data["decided_on"] = _today().isoformat()
        else:
            url, data = (
                _opened(client, reverse("workflows:meeting_new", args=[body])),
                _meeting_data(item, people),
            )
        landed.append(rec.click(step, client, url, data))
    status = Budget.objects.values_list("status", flat=True).get(pk=budget_pk)
    if status != "in_force":
        raise ClickFailed(f"budget {budget_pk} ended the chain {status}, not in force")
    return landed


def bare_chain(cast: Cast, browsers: Browsers, rec: Recorder, landed: list[str]) -> None:
    """BareFlow's seven steps, each by the person of the matching Wuyi step, landing on its page."""
    from django.urls import reverse
    from viewflow.workflow.status import PROCESS

    from bench.bareflow.flows import STEP_NAMES, BareFlow

    process = BareFlow.start.run(user=cast.drafter)
    for step, node, user, landing in zip(STEPS, STEP_NAMES, cast.users(), landed, strict=True):
        url = reverse("bench_bare_step", args=[process.pk, node])
        rec.click(step, browsers.of(user), url, {"next": landing})
    process.refresh_from_db()
    if process.status != PROCESS.DONE:
        raise ClickFailed(f"bare process {process.pk} ended {process.status}")


# --- the run and its report ------------------------------------------------------------------------


def _write_cprofile(profiler) -> None:
    import pstats

    with (RESULTS / f"cprofile-p6-{SCALE}.txt").open("w") as out:
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(80)
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(40)
        areas: dict[str, float] = {}  # own time by package: where the Python of a click goes
        for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(
            profiler
        ).stats.items():
            marker = "site-packages/"
            if marker in filename:
                area = filename.split(marker, 1)[1].split("/")[0]
                if area in ("django", "viewflow"):
                    area = "/".join(filename.split(marker, 1)[1].split("/")[:3])
            elif "/work/" in filename:
                area = "wuyi " + filename.rsplit("/", 2)[-2]
            else:
                area = "stdlib/builtins"
            areas[area] = areas.get(area, 0.0) + tottime
        total = sum(areas.values()) or 1.0
        out.write("\nOwn time by area\n")
        for area, seconds in sorted(areas.items(), key=lambda kv: -kv[1]):
            out.write(f"{seconds * 1000:10.1f} ms {seconds / total:6.1%}  {area}\n")
    log(f"  cprofile-p6-{SCALE}.txt written (BENCH_CPROFILE: the timed Wuyi clicks ran under cProfile)")


def _run_chains(cast: Cast, wuyi: Recorder, bare: Recorder, runs: int) -> None:
    """A warm-up pair (not kept), `runs` timed pairs, then COUNTED_CHAINS pairs counting queries."""
    browsers, years = Browsers(), iter(cast.free_years)
    bare_chain(cast, browsers, Recorder("bare"), wuyi_chain(cast, browsers, Recorder(), next(years)))
    for _ in range(runs):
        bare_chain(cast, browsers, bare, wuyi_chain(cast, browsers, wuyi, next(years)))
    wuyi.counting = bare.counting = True
    for _ in range(COUNTED_CHAINS):
        bare_chain(cast, browsers, bare, wuyi_chain(cast, browsers, wuyi, next(years)))


def _summary(rec: Recorder, step: str | None = None) -> dict:
    """ms (whole click, POST, page) and queries of one step, or of every click (step None)."""
    steps = [step] if step else list(rec.ms)
    posts = [p for s in steps for p, _ in rec.ms[s]]
    pages = [g for s in steps for _, g in rec.ms[s]]
    counts = [q for s in steps for q in rec.queries.get(s, [])]
    return {
        "ms": spread([p + g for s in steps for p, g in rec.ms[s]]),
        "post_ms": spread(posts),
        "page_ms": spread(pages),
        "queries": statistics.median(p + g for p, g, _ in counts) if counts else None,
        "post_queries": statistics.median(p for p, _, _ in counts) if counts else None,
        "page_queries": statistics.median(g for _, g, _ in counts) if counts else None,
        "engine_queries": statistics.median(e for _, _, e in counts) if counts else None,
    }


def _fmt(s: dict) -> str:
    return (
        f"p95 {s['ms']['p95']:.1f}, median {s['ms']['median']:.1f} ms "
        f"(POST {s['post_ms']['median']:.1f} + page {s['page_ms']['median']:.1f}), "
        f"{s['queries']:.0f} queries ({s['post_queries']:.0f} + {s['page_queries']:.0f}; "
        f"viewflow's engine {s['engine_queries']:.0f} of the POST's)"
    )


def _met(s: dict) -> bool:
    return s["ms"]["p95"] <= TARGET_P95_MS and s["post_queries"] <= TARGET_QUERIES


DESIGN = (
    "a click = the POST of the step's page + the GET of the page its redirect lands on (test Client "
    "in this process, real middleware and sessions; the step's page opened before, not timed); "
    "bare = the same person POSTs to a bench view running one stock viewflow View step (assign, "
    "start, execute under select_for_update_lock), redirected to the page the Wuyi click landed on, "
    "fetched in the click; one Wuyi chain then one bare chain, interleaved"
)


def _report(table, wuyi: Recorder, bare: Recorder, runs: int) -> None:
    from django.urls import resolve

    for step in STEPS:
        w, b = _summary(wuyi, step), _summary(bare, step)
        page = resolve(wuyi.landed[step].split("?")[0]).view_name
        table.add(
            "P6",
            f"click: {step} → {page}",
            f"Wuyi {_fmt(w)}; bare {_fmt(b)}",
            f"p95 ≤ {TARGET_P95_MS:.0f} ms, step ≤ {TARGET_QUERIES} queries",
            "ok" if _met(w) else "over",
            wuyi=w,
            bare=b,
            landing=page,
        )
    table.add(
        "P6",
        f"budget new + lines (the chain's setup, not a click; {runs} chains)",
        f"median {statistics.median(wuyi.setup_ms):.1f} ms",
        "",
        "measured",
        ms=spread(wuyi.setup_ms),
    )
    w, b = _summary(wuyi), _summary(bare)
    ratio = w["ms"]["median"] / b["ms"]["median"]
    table.add(
        "P6",
        f"every click ({runs} chains × {len(STEPS)}), Wuyi vs a bare viewflow step with the same page",
        f"p95 {w['ms']['p95']:.1f} vs {b['ms']['p95']:.1f} ms, median {w['ms']['median']:.1f} vs "
        f"{b['ms']['median']:.1f} ms ({ratio:.2f}×); median queries per step {w['post_queries']:.0f} vs "
        f"{b['post_queries']:.0f} (viewflow's engine {w['engine_queries']:.0f} vs "
        f"{b['engine_queries']:.0f}), "
        f"per click {w['queries']:.0f} vs {b['queries']:.0f}",
        f"p95 ≤ {TARGET_P95_MS:.0f} ms, median ≤ {TARGET_QUERIES} queries per step",
        "ok" if _met(w) else "MISSED",
        wuyi=w,
        bare=b,
        ratio=ratio,
        design=DESIGN,
    )


def p6_clicks(table) -> None:
    """P6: the budget chain clicked through its pages, beside a bare viewflow flow clicked alike."""
    runs = REPEAT
    cast = chain_cast(years_needed=1 + runs + COUNTED_CHAINS)
    log(f"  P6: {DESIGN}")
    profiler = None
    if os.environ.get("BENCH_CPROFILE"):
        import cProfile

        profiler = cProfile.Profile()
    wuyi, bare = Recorder("Wuyi", profiler=profiler), Recorder("bare")
    _run_chains(cast, wuyi, bare, runs)
    if profiler is not None:
        _write_cprofile(profiler)
    write_profile("p6", [*wuyi.last_profile(len(STEPS)), *bare.last_profile(len(STEPS))])
    _report(table, wuyi, bare, runs)
