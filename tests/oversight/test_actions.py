"""Oversight actions: urge all stuck tasks of a union (24-hour rule per task), urge the
unions that have not submitted a report, reassign a stuck body task (chair or supervisor only,
written as an event, in the new holder's inbox), return of a received report."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Event, Role
from notifications.models import Notification
from oversight import errors
from oversight.services import report_urge_missing, work_item_reassign
from tests.factories import UserFactory, give_seat
from tests.oversight.helpers import NOW, make_item
from workflows.models import Urge, WorkItem
from workflows.selectors import todo_queryset

URGE_ALL = "/oversight/stuck/urge-union/"


@pytest.fixture(autouse=True)
def _at_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def budget(cast, submitted_budget):
    with time_machine.travel(NOW - datetime.timedelta(days=60), tick=False):
        budget = submitted_budget()
    WorkItem.objects.filter(process=budget.process).update(state="canceled")
    return budget


@pytest.mark.django_db
def test_urge_all_urges_every_stuck_task_of_the_union_once_per_24_hours(
    tree, cast, budget, supervisor_of, login
):
    # given: three stuck tasks in a1 (one urged an hour ago), one fresh task, one stuck task in a2
    stuck = [make_item(budget, tree["a1"], age_days=9 + i, assignee=cast.chair) for i in range(3)]
    fresh = make_item(budget, tree["a1"], age_days=1, due_in_days=3, assignee=cast.chair)
    other = make_item(budget, tree["a2"], age_days=9, assignee=cast.chair)
    supervisor = supervisor_of(tree["dept_a"])
    Urge.objects.create(work_item=stuck[0], by=supervisor, at=NOW - datetime.timedelta(hours=1))
    client = login(supervisor)
    # when
    response = client.post(URGE_ALL, {"union": tree["a1"].pk, "older_than": 7, "next": "/oversight/stuck/"})
    # then
    assert response.status_code == 302
    assert set(Urge.objects.filter(by=supervisor).values_list("work_item_id", flat=True)) == {
        s.pk for s in stuck
    }
    assert Urge.objects.filter(work_item=stuck[0]).count() == 1
    assert not Urge.objects.filter(work_item__in=[fresh, other]).exists()
    event = Event.objects.get(verb="union_urged", actor=supervisor)
    assert event.detail == {"urged": 2, "skipped_too_soon": 1}
    assert Notification.objects.filter(recipient=cast.chair, dedupe_key__startswith="urge:").count() == 2
    # a second click the same day urges nothing more
    client.post(URGE_ALL, {"union": tree["a1"].pk})
    assert Urge.objects.filter(by=supervisor).count() == 3


@pytest.mark.django_db
def test_urge_all_is_refused_for_a_chair_a_sibling_and_an_outsider(tree, cast, budget, supervisor_of, login):
    make_item(budget, tree["a1"], age_days=9, assignee=cast.chair)
    for person in (cast.chair, supervisor_of(tree["dept_b"]), UserFactory()):
        response = login(person).post(URGE_ALL, {"union": tree["a1"].pk})
        assert response.status_code == 403
    assert not Urge.objects.exists()


@pytest.mark.django_db
def test_reassign_moves_a_stuck_body_task_to_another_seat_holder_written_as_an_event(
    tree, cast, budget, supervisor_of, login
):
    item = make_item(
        budget, tree["a1"], age_days=12, body_kind="audit_committee", assignee=cast.audit_director
    )
    supervisor = supervisor_of(tree["prov"])
    to = cast.audit_members[0]
    client = login(supervisor)
    page = client.get(f"/oversight/items/{item.pk}/reassign/")
    assert page.status_code == 200
    # the people picker lists the body's other seat holders: not its present holder, not the chair
    offered = page.content.decode()
    assert f'value="{to.pk}"' in offered and f'value="{cast.chair.pk}"' not in offered
    assert f'value="{cast.audit_director.pk}"' not in offered
    search = {"for": "reassign", "ref": item.pk, "name": "to", "to_q": to.full_name}
    assert f'value="{to.pk}"' in client.get("/people/search/", search).content.decode()

    response = client.post(f"/oversight/items/{item.pk}/reassign/", {"to": to.pk, "note": "请尽快审查"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assignee == to and item.note == "请尽快审查"
    event = Event.objects.get(verb="reassigned", actor=supervisor)
    assert event.detail["from"] == cast.audit_director.pk and event.detail["to"] == to.pk
    assert item in todo_queryset(user=to)
    assert item not in todo_queryset(user=cast.audit_director)
    assert Notification.objects.filter(recipient=to, dedupe_key__startswith=f"reassign:{item.pk}:").exists()


@pytest.mark.django_db
def test_the_unions_chair_may_reassign_a_stuck_task(tree, cast, budget):
    item = make_item(budget, tree["a1"], age_days=12, body_kind="audit_committee")
    work_item_reassign(item=item, user=cast.chair, to=cast.audit_director)
    item.refresh_from_db()
    assert item.assignee == cast.audit_director


@pytest.mark.django_db
def test_reassign_refuses_outside_the_body_a_person_task_and_people_without_the_right(
    tree, cast, budget, login, supervisor_of
):
    item = make_item(budget, tree["a1"], age_days=12, body_kind="audit_committee")
    with pytest.raises(ValidationError) as outside:
        work_item_reassign(item=item, user=cast.chair, to=cast.party_secretary)
    assert outside.value.messages == [
        str(errors.REASSIGN_OUTSIDE_BODY) % {"person": cast.party_secretary, "body": item.body.display_name}
    ]
    person_task = make_item(budget, tree["a1"], age_days=12, assignee=cast.office)
    with pytest.raises(ValidationError):
        work_item_reassign(item=person_task, user=cast.chair, to=cast.audit_director)
    with pytest.raises(PermissionDenied):
        work_item_reassign(item=item, user=cast.audit_director, to=cast.audit_members[0])
    # the form keeps what was entered and says why in Chinese: the picker offers only the body's
    # seat holders, and a person posted from outside it is refused (an event) without being named
    client = login(cast.chair)
    response = client.post(
        f"/oversight/items/{item.pk}/reassign/", {"to": cast.party_secretary.pk, "note": "留言保留"}
    )
    assert response.status_code == 400
    assert response.context["form"]["note"].value() == "留言保留"
    assert "所选人员不在此处的可选范围内" in response.content.decode()
    assert Event.objects.filter(verb="action_refused", actor=cast.chair).exists()
    # a sibling chair and an outsider cannot even see the task
    b1_chair = UserFactory()
    give_seat(b1_chair, tree["b1"], Role.CHAIR, "union_committee")
    assert login(b1_chair).get(f"/oversight/items/{item.pk}/reassign/").status_code == 404
    assert (
        login(supervisor_of(tree["dept_b"])).get(f"/oversight/items/{item.pk}/reassign/").status_code == 404
    )
    assert login(UserFactory()).get(f"/oversight/items/{item.pk}/reassign/").status_code == 403
    item.refresh_from_db()
    assert item.assignee is None


@pytest.mark.django_db
def test_urge_non_submitters_tells_the_unions_that_have_not_started_once_a_day(tree, supervisor_of, login):
    from workflows.reports.forms import default_report_year

    year = default_report_year()
    chairs = {}
    for name in ("a1", "a2"):
        chairs[name] = UserFactory()
        give_seat(chairs[name], tree[name], Role.CHAIR, "union_committee")
    supervisor = supervisor_of(tree["dept_a"])
    client = login(supervisor)
    page = client.get("/oversight/reports/")
    ((receiver, rows),) = page.context["rates"]
    row = next(r for r in rows if r.kind == "work_report" and r.year == year)
    assert {m["union"].pk for m in row.missing} == {tree["a1"].pk, tree["a2"].pk}

    response = client.post(
        "/oversight/reports/urge/", {"receiver": receiver.pk, "kind": "work_report", "year": year}
    )

    assert response.status_code == 302
    for name in ("a1", "a2"):
        assert (
            Notification.objects.filter(recipient=chairs[name], dedupe_key__startswith="report-urge:").count()
            == 1
        )
    assert Event.objects.get(verb="report_urged").detail["notified"] == 2
    # the same day again: nobody is told twice
    report_urge_missing(receiver=receiver, user=supervisor, kind="work_report", year=year)
    assert Notification.objects.filter(dedupe_key__startswith="report-urge:").count() == 2
    # a sibling supervisor cannot urge for dept_a
    sibling = login(supervisor_of(tree["dept_b"]))
    assert (
        sibling.post(
            "/oversight/reports/urge/", {"receiver": receiver.pk, "kind": "work_report", "year": year}
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_urge_non_submitters_of_an_unknown_report_is_refused_with_a_message(tree, supervisor_of, login):
    supervisor = supervisor_of(tree["dept_a"])
    response = login(supervisor).post(
        "/oversight/reports/urge/",
        {"receiver": tree["dept_a"].pk, "kind": "nonsense", "year": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Event.objects.filter(verb="report_urged").exists()


@pytest.mark.django_db
def test_a_received_report_can_be_returned_from_the_received_page_linked_here(tree, supervisor_of, login):
    """The return of a received report exists (workflows.reports): the oversight page links to it."""
    from core.statutory import Obligation, ObligationStatus
    from workflows.reports.models import CongressReport, ReportVersion, Submission

    a1, dept = tree["a1"], tree["dept_a"]
    drafter = UserFactory()
    report = CongressReport.objects.create(
        union=a1, kind="work_report", year=2026, title="2026 工作报告", drafter=drafter, status="in_force"
    )
    version = ReportVersion.objects.create(report=report, number=1, text="报告", created_by=drafter)
    report.current_version = version
    report.save()
    Obligation.objects.create(
        union=a1,
        code="S2.3",
        fiscal_year=2026,
        due_date=datetime.date(2027, 3, 31),
        met_on=datetime.date(2027, 2, 1),
    )
    submission = Submission.objects.create(
        report=report, version=version, to_union=dept, submitted_by=drafter
    )
    client = login(supervisor_of(dept))
    page = client.get("/oversight/reports/")
    assert f"/unions/{dept.pk}/received-reports/".encode() in page.content

    response = client.post(f"/submissions/{submission.pk}/return/", {"opinions": "请补充经费数据"})

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == "returned" and submission.opinions == "请补充经费数据"
    assert Obligation.objects.get(union=a1, code="S2.3").status == ObligationStatus.RETURNED
    # the scorecard now shows the obligation as returned
    card = client.get("/oversight/scorecard/", {"year": 2026})
    cells = {line["row"].union_id: line["cells"] for line in card.context["grid"]}
    assert [c.status for c in cells[a1.pk] if c] == ["returned"]
