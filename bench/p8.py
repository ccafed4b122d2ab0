"""P8 (issue 26): the chair approves 200 expenditure requests on one budget line at once, from 4 threads.

The line has 10 % of its budget left and every request asks 1 % of it, so 10 fit. Each approval is
``personal_decide`` on the request's open "chair_approval" item, as the chair; the final approval runs
``ExpenditureFlow.commit`` → ``services.request_commit``, which locks the line's ``LedgerLine`` row
and refuses (ValidationError; the whole step rolls back) an amount above what remains. The threads
each use their own database connection (closed at the end) and start together; each approval is
timed. Afterwards: committed + paid ≤ budgeted on the line (0 overdrafts), as many requests approved
as fit, and ``LedgerLine.committed`` = what was committed before + the approved requests' amounts.
Refusals are ValidationErrors; DocumentBusy and AlreadyHandled cannot happen (each request is its own
process) and are reported as "other" if they do.

Preparation (not timed), on the bench database: a generated grassroots union ("bench-…") with this
year's budget in force, no expenditure request and no ledger yet, and no budget after 2027 (those
years are P6's): one union per run, the lowest id left whose finance officer is not its office
staff (else the lowest id, with a finance officer seated for P8). Requests are always for the
current year (``request_create``), so P8 takes a fresh union instead of a free year. Its office
staff requests, its finance officer checks, its union committee's chair approves; none of them is a
user whose pages P1–P3 measure. On the expenditure line of that budget with the largest amount, the
line's ledger row is written with budgeted − 10 × 1 % committed (what earlier approvals committed),
and the union's expenditure rule lets the chair approve 1 % alone (the thresholds are data, S5.3;
the line's 1 % is above the built-in ¥5,000). The 200 requests are created, sent and checked by the
finance officer through the services.

Afterwards nothing stays open in anyone's inbox: the approved requests are paid by the finance
officer (``payment_record``, voucher "P8-<id>"), the others are withdrawn by their requester
(``request_withdraw``, after the bench clears their ``decided`` flag: the service allows a
withdrawal only before the first decision, and nothing else closes a request the budget cannot pay).
What stays is what users would leave: the union's requests (paid or withdrawn), its ledger row, its
expenditure rule, their events, and the seat of a finance officer if one was seated.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from bench.measure import log, spread

REQUESTS = 200
THREADS = 4
SHARE = Decimal("0.01")  # each request asks 1 % of the line
FITS = 10  # what remains: 10 requests' worth, 10 % of the line
LAST_P6_FREE_YEAR = 2027  # P6 drives budgets of the years after this one


@dataclass
class Line:
    """The union, the people and the budget line of one run."""

    union: object
    year: int
    account_id: str
    budgeted: Decimal
    unit: Decimal
    prepared: Decimal  # committed on the line before the race
    drafter: object
    finance: object
    chair: object
    seated_finance: bool = False

    @property
    def fits(self) -> int:
        return min(FITS, REQUESTS)


@dataclass
class Attempt:
    request_id: int
    ms: float
    outcome: str  # approved, refused, or the exception's class name
    message: str = ""


@dataclass
class Race:
    attempts: list[Attempt] = field(default_factory=list)
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)  # a thread that could not run


# --- the union, its people and the line ------------------------------------------------------------


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def _candidates(year: int):
    from django.db.models import Exists, OuterRef

    from core.models import Union, UnionKind
    from workflows.budget.models import Budget, BudgetStatus
    from workflows.expenditure.models import ExpenditureRequest, LedgerLine

    return (
        Union.objects.filter(kind=UnionKind.GRASSROOTS, code__startswith="bench-")
        .filter(Exists(Budget.objects.filter(union=OuterRef("pk"), year=year, status=BudgetStatus.IN_FORCE)))
        .exclude(Exists(Budget.objects.filter(union=OuterRef("pk"), year__gt=LAST_P6_FREE_YEAR)))
        .exclude(Exists(ExpenditureRequest.objects.filter(union=OuterRef("pk"))))
        .exclude(Exists(LedgerLine.objects.filter(union=OuterRef("pk"))))
        .order_by("id")
    )


def _people(union, avoid: frozenset[int]):
    """(requester, finance officer or None, chair) of the union, or None when it lacks a requester or
    a chair, or one of them is to be avoided. The finance officer is None when only the requester or
    the chair would check."""
    from core.models import Role, Seat, User
    from core.selectors import union_access
    from workflows.expenditure import selectors

    chair_id = selectors.chair_id(union.pk)
    if chair_id is None or chair_id in avoid:
        return None
    office = (
        Seat.objects.in_force()
        .filter(union=union, role=Role.OFFICE_STAFF, body__isnull=True)
        .exclude(person_id__in=[chair_id, *avoid])
        .order_by("start_date", "id")
        .select_related("person")
    )
    drafter = next((s.person for s in office if union_access(user=s.person, union=union).can_draft), None)
    if drafter is None:
        return None
    finance_id = selectors.finance_officer_id(union.pk, other_than=drafter.pk)
    if finance_id in avoid:
        return None
    finance = User.objects.get(pk=finance_id) if finance_id not in (None, chair_id) else None
    return drafter, finance, User.objects.get(pk=chair_id)


def _seat_finance(union, drafter, chair, avoid: frozenset[int]):
    """A finance officer for a union that has none: a person already seated in the union."""
    from core.models import Role, Seat
    from core.services.seats import seat_create

    seat = (
        Seat.objects.in_force()
        .filter(union=union)
        .exclude(person_id__in=[drafter.pk, chair.pk, *avoid])
        .select_related("person")
        .order_by("id")
        .first()
    )
    if seat is None:
        return None
    seat_create(actor=None, person=seat.person, union=union, role=Role.FINANCE_OFFICER, start_date=_today())
    return seat.person


def _line_of(union, year: int):
    """The expenditure line of the budget in force with the largest amount (1 % of it at least a fen)."""
    from workflows.expenditure import selectors

    lines = [line for line in selectors.spendable_lines(union.pk, year) if line.amount >= Decimal("1.00")]
    return max(lines, key=lambda line: (line.amount, line.account_id), default=None)


def _line(union, year: int, budget_line, people, seated: bool) -> Line:
    drafter, finance, chair = people
    unit = (budget_line.amount * SHARE).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return Line(
        union=union,
        year=year,
        account_id=budget_line.account_id,
        budgeted=budget_line.amount,
        unit=unit,
        prepared=budget_line.amount - FITS * unit,
        drafter=drafter,
        finance=finance,
        chair=chair,
        seated_finance=seated,
    )


def pick_line(avoid: frozenset[int]) -> Line:
    """The first candidate union whose finance officer is not the requester; else the first one, with
    a finance officer seated for P8 (the generator often seats the office staff as finance officer).
    ``avoid``: people whose inboxes other figures measure (bench/run.py's users)."""
    from django.utils import timezone

    from workflows.expenditure import selectors

    year = timezone.localdate().year
    fallback = None
    for union in _candidates(year)[:50]:
        if selectors.budget_year_for(union) != year:
            continue  # another time zone, another year: its requests would go to that year
        people, budget_line = _people(union, avoid), _line_of(union, year)
        if people is None or budget_line is None:
            continue
        if people[1] is not None:
            return _line(union, year, budget_line, people, seated=False)
        fallback = fallback or (union, budget_line, people)
    if fallback is not None:
        union, budget_line, (drafter, _none, chair) = fallback
        finance = _seat_finance(union, drafter, chair, avoid)
        if finance is not None:
            return _line(union, year, budget_line, (drafter, finance, chair), seated=True)
    raise RuntimeError(
        f"no generated grassroots union with a budget in force for {year} and no expenditure yet "
        "can take P8 (each run takes one): rebuild the bench dataset"
    )


# --- preparation (not timed) -----------------------------------------------------------------------


def _prepare_line(line: Line) -> None:
    """The ledger row with 90 % committed, and a rule that lets the chair approve 1 % alone."""
    from workflows.expenditure.models import COLLECTIVE_ABOVE, ExpenditureRule, LedgerLine
    from workflows.expenditure.selectors import thresholds_for

    LedgerLine.objects.create(
        union=line.union, year=line.year, account_id=line.account_id, committed=line.prepared
    )
    if thresholds_for(line.union).chair_limit < line.unit:
        ExpenditureRule.objects.update_or_create(
            union=line.union,
            defaults={"chair_limit": line.unit, "collective_above": max(line.unit, COLLECTIVE_ABOVE)},
        )


def _open_item(process_id: int, step: str):
    from workflows.models import WorkItem, WorkItemState

    return WorkItem.objects.get(process_id=process_id, state=WorkItemState.OPEN, step=step)


def prepare(line: Line, created: list[int]) -> list[int]:
    """REQUESTS requests sent and checked, waiting for the chair; returns their chair_approval items.
    ``created`` collects the requests' ids as they are made (the clean-up closes them all)."""
    from workflows.expenditure.models import Route
    from workflows.expenditure.services import request_create, request_submit
    from workflows.models import Resolution
    from workflows.services.personal import personal_decide

    _prepare_line(line)
    items = []
    for number in range(1, REQUESTS + 1):
        request = request_create(
            actor=line.drafter,
            union=line.union,
            account_id=line.account_id,
            amount=line.unit,
            purpose=f"P8 基准测试：第 {number} 笔支出",
            activity_date=_today(),
        )
        created.append(request.pk)
        request_submit(actor=line.drafter, request=request)
        if request.route != Route.CHAIR:
            raise RuntimeError(f"P8: request {request.pk} took the {request.route} route, not the chair's")
        check = _open_item(request.process_id, "finance_check")
        personal_decide(work_item=check, actor=line.finance, resolution=Resolution.APPROVE)
        approval = _open_item(request.process_id, "chair_approval")
        if approval.assignee_id != line.chair.pk:
            raise RuntimeError(f"P8: request {request.pk} waits for #{approval.assignee_id}, not the chair")
        items.append(approval.pk)
    return items


# --- the race --------------------------------------------------------------------------------------


def _approver(chair_id: int, item_ids: list[int], barrier: threading.Barrier, race: Race) -> None:
    """One thread: its own connection, its own chair instance, its share of the items in order."""
    from django.core.exceptions import ValidationError
    from django.db import connection

    from core.models import User
    from workflows.models import Resolution, WorkItem
    from workflows.services.personal import personal_decide
    from workflows.services.workitems import AlreadyHandled, DocumentBusy

    try:
        chair = User.objects.get(pk=chair_id)
        loaded = WorkItem.objects.in_bulk(item_ids)
        items = [loaded[pk] for pk in item_ids]
        barrier.wait(timeout=120)
        for item in items:
            outcome, message = "approved", ""
            started = time.perf_counter()
            try:
                personal_decide(work_item=item, actor=chair, resolution=Resolution.APPROVE)
            except (AlreadyHandled, DocumentBusy) as exc:  # AlreadyHandled is a ValidationError
                outcome, message = type(exc).__name__, str(exc)
            except ValidationError as exc:
                outcome, message = "refused", " ".join(exc.messages)
            except Exception as exc:  # noqa: BLE001 — reported in the table, not raised
                outcome, message = type(exc).__name__, str(exc)
            elapsed = (time.perf_counter() - started) * 1000
            race.attempts.append(Attempt(item.document_id, elapsed, outcome, message[:300]))
    except Exception as exc:  # noqa: BLE001 — a thread that cannot start breaks the barrier
        barrier.abort()
        race.failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def run_race(line: Line, items: list[int]) -> Race:
    """THREADS threads, each with every THREADS-th item, started together; the wall time of all."""
    race = Race()
    barrier = threading.Barrier(THREADS + 1)
    threads = [
        threading.Thread(
            target=_approver, args=(line.chair.pk, items[k::THREADS], barrier, race), name=f"p8-{k}"
        )
        for k in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    try:
        barrier.wait(timeout=120)
    except threading.BrokenBarrierError:
        pass
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    race.seconds = time.perf_counter() - started
    return race


# --- the checks, the report and the clean-up -------------------------------------------------------


def check(line: Line, race: Race) -> dict:
    """The line and the requests after the race, from the database."""
    from django.db.models import Sum

    from workflows.expenditure import selectors
    from workflows.expenditure.models import ExpenditureRequest, ExpenditureStatus, LedgerLine

    row = LedgerLine.objects.get(union=line.union, year=line.year, account_id=line.account_id)
    budgeted = selectors.budgeted(line.union.pk, line.year, line.account_id)
    ids = [a.request_id for a in race.attempts]
    approved = ExpenditureRequest.objects.filter(pk__in=ids, status=ExpenditureStatus.APPROVED)
    approved_sum = approved.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    counted = {o: sum(1 for a in race.attempts if a.outcome == o) for o in ("approved", "refused")}
    return {
        "budgeted": budgeted,
        "committed": row.committed,
        "paid": row.paid,
        "over": max(Decimal("0"), row.committed + row.paid - budgeted),
        "approved": counted["approved"],
        "refused": counted["refused"],
        "other": len(race.attempts) - counted["approved"] - counted["refused"],
        "approved_in_db": approved.count(),
        "approved_sum": approved_sum,
        "still_with_chair": ExpenditureRequest.objects.filter(
            pk__in=[a.request_id for a in race.attempts if a.outcome == "refused"],
            status=ExpenditureStatus.CHAIR_APPROVAL,
        ).count(),
    }


def _ms(race: Race, outcome: str | None = None) -> dict | None:
    values = [a.ms for a in race.attempts if outcome is None or a.outcome == outcome]
    return spread(values) if values else None


def report(table, line: Line, race: Race, got: dict) -> None:
    every, approved, refused = _ms(race), _ms(race, "approved"), _ms(race, "refused")
    rate = len(race.attempts) / race.seconds if race.seconds else 0.0
    others = sorted(
        {f"{a.outcome}: {a.message[:80]}" for a in race.attempts if a.outcome not in ("approved", "refused")}
    )
    complete = len(race.attempts) == REQUESTS and not race.failures
    parts = [f"{rate:.1f} approvals/s ({len(race.attempts)} in {race.seconds:.2f} s)"]
    if every:
        parts.append(f"latency p95 {every['p95']:.1f} ms, median {every['median']:.1f} ms")
    for name, s in (("approved", approved), ("refused", refused)):
        if s:
            parts.append(f"{name}: median {s['median']:.1f}, p95 {s['p95']:.1f} ms")
    table.add(
        "P8",
        f"{REQUESTS} chair approvals (personal_decide) of distinct requests on one line with 10 % left "
        f"(each 1 %), {THREADS} threads, own connections",
        "; ".join(parts) + ("" if complete else f"; threads failed: {'; '.join(race.failures)}"),
        "reported",
        "ok" if complete else "MISSED",
        per_second=rate,
        seconds=race.seconds,
        ms=every,
        approved_ms=approved,
        refused_ms=refused,
        threads=THREADS,
        requests=REQUESTS,
    )
    outcomes_ok = got["approved"] == line.fits == got["approved_in_db"] and got["other"] == 0
    outcomes_ok = outcomes_ok and got["still_with_chair"] == got["refused"] == REQUESTS - line.fits
    table.add(
        "P8",
        "outcomes: approved (what fits) / refused for lack of budget (still with the chair) / other",
        f"{got['approved']} approved (fit {line.fits}; {got['approved_in_db']} approved in the database) / "
        f"{got['refused']} refused ({got['still_with_chair']} still with the chair) / {got['other']} other"
        + (f" ({'; '.join(others)})" if others else ""),
        f"{line.fits} / {REQUESTS - line.fits} / 0",
        "ok" if outcomes_ok else "MISSED",
        **{k: got[k] for k in ("approved", "refused", "other", "approved_in_db", "still_with_chair")},
    )
    ledger_ok = got["committed"] == line.prepared + got["approved_sum"]
    # an overdraft: an approval committed beyond what remained (the requests are all the same amount)
    overdrafts = max(0, got["approved_in_db"] - line.fits)
    table.add(
        "P8",
        "overdrafts: committed + paid ≤ budgeted on the line; committed = before + approved requests",
        f"{overdrafts} overdrafts; committed {got['committed']} + paid {got['paid']} vs budgeted "
        f"{got['budgeted']} (over by {got['over']}); committed = {line.prepared} before + "
        f"{got['approved_sum']} approved: {'yes' if ledger_ok else 'NO'}",
        "0; committed = before + approved",
        "ok" if got["over"] == 0 and overdrafts == 0 and ledger_ok else "MISSED",
        overdrafts=overdrafts,
        over_by=str(got["over"]),
        committed=str(got["committed"]),
        paid=str(got["paid"]),
        budgeted=str(got["budgeted"]),
        prepared=str(line.prepared),
        approved_sum=str(got["approved_sum"]),
    )


def clean_up(line: Line, created: list[int]) -> int:
    """Pays the approved requests, withdraws the others; returns the open items left (0 expected)."""
    from workflows.expenditure.models import ExpenditureRequest, ExpenditureStatus
    from workflows.expenditure.services import payment_record, request_withdraw
    from workflows.models import WorkItem, WorkItemState

    requests = ExpenditureRequest.objects.filter(pk__in=created).select_related("union", "process")
    for request in requests.order_by("pk"):
        if request.status == ExpenditureStatus.APPROVED:
            payment_record(
                actor=line.finance,
                request=request,
                paid_on=_today(),
                voucher_number=f"P8-{request.pk}",
                method="transfer",
            )
        elif request.status not in (ExpenditureStatus.PAID, ExpenditureStatus.WITHDRAWN):
            # the service withdraws only before the first decision: the finance check was one
            ExpenditureRequest.objects.filter(pk=request.pk).update(decided=False)
            request.decided = False
            request_withdraw(actor=line.drafter, request=request, reason="P8 基准测试：预算余额不足")
    processes = requests.values_list("process_id", flat=True)
    return WorkItem.objects.filter(process_id__in=processes, state=WorkItemState.OPEN).count()


def p8_race(table, avoid: frozenset[int] = frozenset()) -> None:
    """P8: REQUESTS chair approvals at once from THREADS threads on one line that fits FITS of them.
    ``avoid``: people P8 must not cast (the users whose pages P1–P3 measure)."""
    line = pick_line(avoid)
    log(
        f"  P8: union #{line.union.pk} {line.union.name}, {line.year}, line {line.account_id}: budgeted "
        f"{line.budgeted}, {line.prepared} committed before, {FITS * line.unit} left; {REQUESTS} requests "
        f"of {line.unit}; requester #{line.drafter.pk}, finance officer #{line.finance.pk}"
        f"{' (seated for P8)' if line.seated_finance else ''}, chair #{line.chair.pk}"
    )
    created: list[int] = []
    try:
        started = time.perf_counter()
        items = prepare(line, created)
        log(f"  P8: {len(items)} requests created, sent and checked in {time.perf_counter() - started:.1f} s")
        race = run_race(line, items)
        report(table, line, race, check(line, race))
        refusal = next((a.message for a in race.attempts if a.outcome == "refused"), "")
        if refusal:
            log(f"  P8: a refusal says: {refusal[:200]}")
    finally:
        started = time.perf_counter()
        left = clean_up(line, created)
        log(
            f"  P8: clean-up (approved paid, others withdrawn) in {time.perf_counter() - started:.1f} s; "
            f"{left} open items left"
        )
