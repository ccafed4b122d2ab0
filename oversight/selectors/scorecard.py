"""The compliance scorecard: each union in the scope × each Five Ones obligation of a year, graded met,
in progress (with the step the document waits at), pending, returned, late or missed; and the totals
per obligation over every union of the filtered scorecard.

S1.3 (requests for instructions and reports, 请示报告制度) has no obligation row: its column is graded from
the union's requests and reports of the year sent to the Party organisation (``_requests_sql``) and
joins the grid, the totals and the status filter as one more obligation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.utils.translation import gettext_lazy as _

from core.statutory import ObligationCode, ObligationStatus
from oversight.selectors.scope import OversightScope
from oversight.selectors.sql import as_date
from workflows.budget.models import Budget
from workflows.party.models import Hearing, InstructionRequest, RequestStatus
from workflows.plan.models import AnnualPlan
from workflows.reports.models import CongressReport

SCORECARD_PAGE_SIZE = 50

# S1.3: the column graded from the requests and reports (no obligation row), after S1.2 in the grid
REQUESTS_CODE = "S1.3"
REQUESTS_LABEL = _("requests for instructions and reports replied in time")
SCORE_CODES = [ObligationCode.values[0], REQUESTS_CODE, *ObligationCode.values[1:]]

# An obligation's status on a day (core.statutory.Obligation.status_on, in SQL), with "in progress"
# when nothing is late yet and the matching document has open work.
CELL_STATUSES = ["met", "in_progress", "pending", "returned", "late", "missed"]
SCORE_STATUS_LABELS = {
    "met": ObligationStatus.MET.label,
    "in_progress": "in progress",
    "pending": ObligationStatus.PENDING.label,
    "returned": ObligationStatus.RETURNED.label,
    "late": ObligationStatus.LATE.label,
    "missed": ObligationStatus.MISSED.label,
}


def _progress_sql(year: int, unions: str = "") -> str:
    """(union_id, code, step): per union and obligation of ``year`` whose document is under way, the
    first open step of that document — budget → S3.3, annual plan → S2.2, hearing → S1.2,
    work report → S2.3, finance report and final accounts → S3.5.

    Set-based (a join through ``workitem_document``, the first step by ROW_NUMBER) instead of a
    subquery per obligation: grading the 273,000 obligations of a province's year looked up the
    open step once per obligation (10 s). ``unions`` narrows the documents (e.g. to a page's unions)."""
    branches = [
        ("S3.3", "budget", Budget._meta.db_table, ""),
        ("S2.2", "annual_plan", AnnualPlan._meta.db_table, ""),
        ("S1.2", "party_hearing", Hearing._meta.db_table, ""),
        ("S2.3", "work_report", CongressReport._meta.db_table, " AND d.kind = 'work_report'"),
        ("S3.5", "finance_report", CongressReport._meta.db_table, " AND d.kind = 'finance_report'"),
    ]
    try:  # the final accounts (S3.5) come with their own app
        branches.append(
            ("S3.5", "final_accounts", apps.get_model("final_accounts", "FinalAccounts")._meta.db_table, "")
        )
    except LookupError:
        pass
    docs = "\n        UNION ALL ".join(
        f"SELECT d.union_id, '{code}' AS code, '{kind}' AS document_type, d.id AS document_id FROM {table} d"
        f" WHERE d.year = {int(year)} AND d.status <> 'withdrawn'{extra}{unions}"
        for code, kind, table, extra in branches
    )
    join = f"""FROM ({docs}) docs
        JOIN workflows_workitem w ON w.document_type = docs.document_type AND w.document_id = docs.document_id
        WHERE w.state = 'open' AND w.parent_id IS NULL"""
    # GROUP BY, not "ROW_NUMBER() ... = 1": PostgreSQL estimates the latter at one row and then
    # plans the status filter's semi-join as a nested loop over it (10 s over a province)
    return f"""SELECT docs.union_id, docs.code,
        (array_agg(w.step_title ORDER BY w.created_at, w.id))[1] AS step
    {join} GROUP BY docs.union_id, docs.code"""


def _requests_sql(year: int, today: datetime.date, unions: str = "") -> str:
    """(union_id, status, due_date, met_on) per union that sent the Party organisation requests for
    instructions or reports in ``year`` (S1.3; ``reply_due`` is set when one is sent): late when one
    awaits its reply past its due date or was replied after it (due_date: the earliest such); pending
    while one awaits its reply within time (due_date: the next due); met when every one was replied by
    its due date (met_on: the last reply). A union that sent none has no S1.3 cell. One GROUP BY over
    the documents ``unions`` narrows, like ``_progress_sql``."""
    awaiting = f"(d.status = '{RequestStatus.AWAITING_REPLY.value}' OR d.replied_on IS NULL)"
    # the day inlined like the year (a date's ISO form): the CTE sits in statements whose parameters
    # come in different orders
    day = f"'{today.isoformat()}'::date"
    late = f"CASE WHEN {awaiting} THEN d.reply_due < {day} ELSE d.replied_on > d.reply_due END"
    withdrawn = RequestStatus.WITHDRAWN.value
    sent = f"""SELECT d.union_id, d.reply_due, d.replied_on, {awaiting} AS awaiting, {late} AS late
        FROM {InstructionRequest._meta.db_table} d
        WHERE d.year = {int(year)} AND d.reply_due IS NOT NULL AND d.status <> '{withdrawn}'{unions}"""
    return f"""SELECT r.union_id,
        CASE WHEN bool_or(r.late) THEN 'late' WHEN bool_or(r.awaiting) THEN 'pending' ELSE 'met' END
            AS status,
        COALESCE(MIN(r.reply_due) FILTER (WHERE r.late), MIN(r.reply_due) FILTER (WHERE r.awaiting))
            AS due_date,
        CASE WHEN NOT bool_or(r.late OR r.awaiting) THEN MAX(r.replied_on) END AS met_on
    FROM ({sent}) r GROUP BY r.union_id"""


def _status_sql(today: datetime.date, under_way: str = "p.step IS NOT NULL") -> tuple[str, list]:
    """The CASE that names an obligation's status (core.statutory.Obligation.status_on, S-rule dates
    as data): met, returned, missed (beyond missed_after_days), late, in progress, pending.
    ``under_way``: the obligation ``o`` has a document with open work (``p`` is ``_progress_sql``)."""
    sql = f"""CASE WHEN o.met_on IS NOT NULL THEN 'met'
        WHEN o.status = 'returned' THEN 'returned'
        WHEN %s::date > o.due_date + o.missed_after_days THEN 'missed'
        WHEN %s::date > o.due_date THEN 'late'
        WHEN {under_way} THEN 'in_progress'
        ELSE 'pending' END"""
    return sql, [today, today]


@dataclass(frozen=True)
class ScoreFilters:
    year: int
    department_id: int | None = None
    kind: str = ""
    status: str = ""
    code: str = ""


@dataclass
class ScoreCell:
    code: str
    period: str
    status: str
    due_date: datetime.date | None
    met_on: datetime.date | None
    step: str


@dataclass
class ScoreRow:
    union_id: int
    name: str
    kind: str
    cells: dict[tuple[str, str], ScoreCell]


def _score_union_where(scope: OversightScope, filters: ScoreFilters, today) -> tuple[str, list]:
    """Unions of the scorecard: in scope, of an obligation-bearing kind, filtered."""
    where = [scope.union_sql("u.id"), "u.kind IN ('department', 'grassroots')"]
    params: list = []
    if filters.kind:
        where.append("u.kind = %s")
        params.append(filters.kind)
    if filters.department_id is not None:
        where.append(f"u.id IN ({scope.below_sql((filters.department_id,), including=True)})")
    if filters.status:
        # the query defines ``progress`` (_progress_sql) and ``requests`` (_requests_sql) as common
        # table expressions
        status_sql, status_params = _status_sql(today)
        code = " AND o.code = %s" if filters.code else ""
        # set-based (every obligation of the year graded once, a hash semi-join), not an EXISTS per
        # union that scans ``progress`` again for each (5 s for "in progress" over a province)
        # (OFFSET 0 keeps it a subplan hashed once: pulled up as a semi-join, PostgreSQL walks the
        # unions by name and grades each union's obligations again, 20 s when none matches)
        graded = [
            "u.id IN (SELECT o.union_id FROM core_obligation o LEFT JOIN progress p"
            " ON p.union_id = o.union_id AND p.code = o.code"
            f" WHERE o.fiscal_year = %s{code} AND {status_sql} = %s OFFSET 0)"
        ]
        params += [filters.year, *([filters.code] if filters.code else []), *status_params, filters.status]
        if filters.code in ("", REQUESTS_CODE):  # S1.3's column answers the status filter too
            graded.append("u.id IN (SELECT r.union_id FROM requests r WHERE r.status = %s)")
            params.append(filters.status)
        where.append(f"({' OR '.join(graded)})")
    return " AND ".join(where), params


def _score_documents(scope: OversightScope, filters: ScoreFilters) -> str:
    """The documents worth grading: of the scope's unions, of the department asked for."""
    where = f" AND {scope.union_sql('d.union_id')}"
    if filters.department_id is not None:
        where += f" AND d.union_id IN ({scope.below_sql((filters.department_id,), including=True)})"
    return where


def scorecard_page(
    *,
    scope: OversightScope,
    filters: ScoreFilters,
    today: datetime.date,
    after: tuple[str, int] | None = None,
    size: int | None = None,
) -> tuple[list[ScoreRow], tuple[str, int] | None]:
    """One query: a page of unions (keyset on name, id) joined to their obligations of the year, each
    with its status and, when the matching document is under way, the step it waits at."""
    size = size or SCORECARD_PAGE_SIZE
    where, params = _score_union_where(scope, filters, today)
    if after is not None:
        where += " AND (u.name > %s OR (u.name = %s AND u.id > %s))"
        params += [after[0], after[0], after[1]]
    status_sql, status_params = _status_sql(today)
    # The documents of the page's unions only, unless the status filter grades every union.
    unions = (
        _score_documents(scope, filters) if filters.status else " AND d.union_id IN (SELECT id FROM page)"
    )
    progress = _progress_sql(filters.year, unions)
    requests = _requests_sql(filters.year, today, unions)
    limit = int(size) + 1
    page_sql = (
        f"SELECT u.id, u.name, u.kind FROM core_union u WHERE {where} ORDER BY u.name, u.id LIMIT {limit}"
    )
    ctes = (
        f"progress AS ({progress}), requests AS ({requests}), page AS ({page_sql})"
        if filters.status
        else (f"page AS ({page_sql}), progress AS ({progress}), requests AS ({requests})")
    )
    # S1.3's cells (the unions of the page that sent requests) after their obligations
    sql = f"""
    WITH {ctes}
    SELECT page.id, page.name, page.kind, o.code, o.period, o.due_date, o.met_on,
        {status_sql} AS status, p.step
    FROM page LEFT JOIN core_obligation o ON o.union_id = page.id AND o.fiscal_year = %s
    LEFT JOIN progress p ON p.union_id = o.union_id AND p.code = o.code
    UNION ALL
    SELECT page.id, page.name, page.kind, '{REQUESTS_CODE}', '', r.due_date, r.met_on, r.status, NULL
    FROM page JOIN requests r ON r.union_id = page.id
    ORDER BY name, id, code, period"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *status_params, filters.year])
        rows = cursor.fetchall()
    out: dict[int, ScoreRow] = {}
    for union_id, name, kind, code, period, due, met_on, status, step in rows:
        row = out.setdefault(union_id, ScoreRow(union_id, name, kind, {}))
        if code is not None:
            row.cells[(code, period)] = ScoreCell(
                code, period, status, as_date(due), as_date(met_on), step or ""
            )
    ordered = list(out.values())
    if len(ordered) > size:
        last = ordered[size - 1]
        return ordered[:size], (last.name, last.union_id)
    return ordered, None


@dataclass
class ScoreTotals:
    columns: list[tuple[str, str]]  # (code, period)
    counts: dict[tuple[str, str], dict[str, int]]
    unions: int


def scorecard_totals(*, scope: OversightScope, filters: ScoreFilters, today: datetime.date) -> ScoreTotals:
    """One GROUP BY (obligation, period, status) over every union of the filtered scorecard; also
    names the columns of the grid and counts its unions (a window over the same rows)."""
    where, params = _score_union_where(scope, filters, today)
    status_sql, status_params = _status_sql(today)
    documents = _score_documents(scope, filters)
    sql = f"""
    WITH progress AS ({_progress_sql(filters.year, documents)}),
    requests AS ({_requests_sql(filters.year, today, documents)})
    SELECT o.code, o.period, {status_sql} AS status, COUNT(*)
    FROM core_obligation o JOIN core_union u ON u.id = o.union_id
    LEFT JOIN progress p ON p.union_id = o.union_id AND p.code = o.code
    WHERE o.fiscal_year = %s AND {where}
    GROUP BY o.code, o.period, 3
    UNION ALL
    SELECT '{REQUESTS_CODE}', '', r.status, COUNT(*) FROM requests r JOIN core_union u ON u.id = r.union_id
    WHERE {where} GROUP BY r.status
    UNION ALL
    SELECT NULL, NULL, NULL, COUNT(*) FROM core_union u WHERE {where}"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*status_params, filters.year, *params, *params, *params])
        rows = cursor.fetchall()
    counts: dict[tuple[str, str], dict[str, int]] = {}
    unions = 0
    for code, period, status, count in rows:
        if code is None:
            unions = count
            continue
        counts.setdefault((code, period), dict.fromkeys(CELL_STATUSES, 0))[status] = count
    order = {c: i for i, c in enumerate(SCORE_CODES)}
    columns = sorted(counts, key=lambda c: (order.get(c[0], 99), c[1]))
    return ScoreTotals(columns=columns, counts=counts, unions=unions)
