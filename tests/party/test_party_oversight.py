"""The Party organisation in oversight (S1.3): the scorecard's column of requests for instructions and
reports replied in time, on the page, in its totals, its status filter and its export; and an overdue
reply among the stuck approvals, like any late step."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core.models import Role
from tests.factories import seated
from tests.oversight.helpers import sheet_rows, workbook
from tests.scenarios import at, open_item, travel
from workflows.models import Resolution
from workflows.party.models import CatalogueItem, Matter, RequestStatus
from workflows.party.selectors import replied_in_time
from workflows.party.services import request_create, request_submit, request_withdraw
from workflows.services.decisions import written_decision_record
from workflows.services.personal import personal_decide

pytestmark = pytest.mark.django_db

SCORECARD = "/oversight/scorecard/"
STUCK = "/oversight/stuck/"


def people_of(union, prefix: str, *, chair=None) -> SimpleNamespace:
    """A union's office staff, chair (the one in office, if given) and Party secretary."""
    return SimpleNamespace(
        union=union,
        office=seated(union, Role.OFFICE_STAFF, username=f"{prefix}-office"),
        chair=chair or seated(union, Role.CHAIR, "union_committee", username=f"{prefix}-chair"),
        party=seated(union, Role.SECRETARY, "party_organization", username=f"{prefix}-party"),
    )


def a1_people(cast) -> SimpleNamespace:
    return SimpleNamespace(union=cast.union, office=cast.office, chair=cast.chair, party=cast.party_secretary)


def sent(people, matter=Matter.CONGRESS, title="关于召开会员代表大会的请示"):
    """A request drafted, signed by the chair and sent to the Party organisation (its reply_due set)."""
    request = request_create(
        actor=people.office,
        union=people.union,
        items=[CatalogueItem.objects.get(union__isnull=True, matter=matter)],
        title=title,
        text="拟于近期召开。",
    )
    request_submit(actor=people.office, request=request)
    personal_decide(
        work_item=open_item(request, "chair_sign"), actor=people.chair, resolution=Resolution.APPROVE
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_REPLY
    return request


def replied(people, request) -> None:
    written_decision_record(
        work_item=open_item(request, "party_reply"),
        recorder=people.party,
        resolution=Resolution.APPROVE,
        reference_number="机党〔2027〕5号",
        decided_on=timezone.localdate(),
    )


def cells(response) -> dict[int, dict[str, tuple]]:
    """union id → {code: (status, met_on, due date)} of the page's grid."""
    columns = [key for key, _label in response.context["columns"]]
    return {
        line["row"].union_id: {
            key[0]: (cell.status, cell.met_on, cell.due_date)
            for key, cell in zip(columns, line["cells"], strict=True)
            if cell
        }
        for line in response.context["grid"]
    }


def s1_3(response, union) -> tuple | None:
    return cells(response)[union.pk].get("S1.3")


def test_S1_3_the_scorecard_grades_requests_by_their_replies_in_time(tree, cast, supervisor_of, login):
    # given: on 1 March a request from each of a1, a2 and b1 (reply within 10 days), and one of a1's
    # withdrawn before its reply (it was owed none)
    a1, a2, b1 = (
        a1_people(cast),
        people_of(tree["a2"], "a2"),
        people_of(tree["b1"], "b1", chair=cast.outsider),
    )
    with travel(at(2027, 3, 1, 10, 0)):
        in_time, late, _awaiting = sent(a1), sent(a2), sent(b1)
        withdrawn = sent(a1, Matter.ELECTION, "关于增补委员的请示")
        request_withdraw(actor=cast.office, request=withdrawn, reason="暂缓")
    due = datetime.date(2027, 3, 11)
    assert in_time.reply_due == due
    supervisor = supervisor_of(tree["prov"])

    # when: a1's is answered on 5 March: met; the others still await within time: pending
    with travel(at(2027, 3, 5, 10, 0)):
        replied(a1, in_time)
        response = login(supervisor).get(SCORECARD, {"year": 2027})
    assert s1_3(response, tree["a1"]) == ("met", datetime.date(2027, 3, 5), None)
    assert s1_3(response, tree["a2"]) == ("pending", None, due)
    assert s1_3(response, tree["b1"]) == ("pending", None, due)
    assert s1_3(response, tree["dept_a"]) is None  # sent nothing: nothing to grade

    # then: a2's answered after its date and b1's still awaited past it are both late
    with travel(at(2027, 3, 20, 10, 0)):
        replied(a2, late)
        response = login(supervisor).get(SCORECARD, {"year": 2027})
        html = response.content.decode()
        late_only = {
            line["row"].union_id
            for line in login(supervisor)
            .get(SCORECARD, {"year": 2027, "status": "late", "code": "S1.3"})
            .context["grid"]
        }
        met_only = login(supervisor).get(SCORECARD, {"year": 2027, "status": "met", "code": "S1.3"})
    assert s1_3(response, tree["a1"]) == ("met", datetime.date(2027, 3, 5), None)
    assert s1_3(response, tree["a2"]) == ("late", None, due)
    assert s1_3(response, tree["b1"]) == ("late", None, due)
    columns = dict(response.context["columns"])
    assert columns[("S1.3", "")] == "请示报告按时批复"
    assert "S1.3" not in columns[("S1.3", "")]
    totals = dict(zip([k for k, _l in response.context["columns"]], response.context["totals"], strict=True))
    assert totals[("S1.3", "")] == [1, 0, 0, 0, 2, 0]  # met, in progress, pending, returned, late, missed
    assert "请示报告按时批复" in html and 'data-rule="S1.3"' in html
    assert late_only == {tree["a2"].pk, tree["b1"].pk}
    assert set(cells(met_only)) == {tree["a1"].pk}
    # the column agrees with the Party app's own count (in time, sent)
    assert replied_in_time(tree["a2"].pk, 2027) == (0, 1)


def test_S1_3_the_scorecard_export_has_the_requests_column(tree, cast, supervisor_of, login):
    with travel(at(2027, 3, 1, 10, 0)):
        request = sent(a1_people(cast))
    with travel(at(2027, 3, 14, 10, 0)):
        response = login(supervisor_of(tree["dept_a"])).get(f"{SCORECARD}export/", {"year": 2027})
    rows = sheet_rows(workbook(response).worksheets[0])
    column = rows[0].index("请示报告按时批复")
    by_union = {row[0]: row for row in rows[1:]}
    assert by_union[tree["a1"].name][column] == "已逾期"
    assert by_union[tree["a2"].name][column] == "—"
    assert request.reply_due == datetime.date(2027, 3, 11)


def test_S1_3_the_requests_column_shows_only_in_the_scope(tree, cast, supervisor_of, login):
    with travel(at(2027, 3, 1, 10, 0)):
        sent(a1_people(cast))
        response = login(supervisor_of(tree["dept_b"])).get(SCORECARD, {"year": 2027})
    assert tree["a1"].pk not in cells(response)
    assert ("S1.3", "") not in dict(response.context["columns"])


def test_S1_3_an_overdue_party_reply_shows_among_the_stuck_approvals(tree, cast, supervisor_of, login):
    """The Party organisation's reply is an ordinary work item with its due date: past it, the request is
    stuck like any late step — on the page, in its counts and in its export — for the supervisors above
    only."""
    with travel(at(2027, 3, 1, 10, 0)):
        request = sent(a1_people(cast))
    item = open_item(request, "party_reply")
    with travel(at(2027, 3, 5, 10, 0)):  # within its time and younger than a week: not stuck yet
        early = login(supervisor_of(tree["dept_a"])).get(STUCK)
    assert item.pk not in {row["item"].pk for row in early.context["rows"]}
    with travel(at(2027, 3, 12, 10, 0)):
        supervisor = supervisor_of(tree["dept_a"])
        response = login(supervisor).get(STUCK)
        export = login(supervisor).get(f"{STUCK}export/")
        other = login(supervisor_of(tree["dept_b"])).get(STUCK)
    rows = {row["item"].pk: row for row in response.context["rows"]}
    assert item.pk in rows
    html = response.content.decode()
    assert request.title in html and "党组织批复" in html
    assert any(step["step"] == "party_reply" for step in response.context["by_step"])
    sheet = sheet_rows(workbook(export).worksheets[0])
    assert any(row[1] == "请示报告" and row[2] == request.title and row[7] == 1 for row in sheet[1:])
    assert item.pk not in {row["item"].pk for row in other.context["rows"]}
    assert request.title not in other.content.decode()
