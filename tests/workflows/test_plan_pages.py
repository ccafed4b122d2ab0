"""Annual plan pages through HTTP (S2.1–S2.3): create, edit the seven duty areas (bad input kept), the S2.1
check on submit, the chain to in force, the owners' progress, the document page and its scope."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy

from core import errors as core_errors
from core.models import Event
from tests.factories import plan_sections
from tests.pages import content, shown
from tests.scenarios import (
    committee_meeting,
    congress_meeting,
    open_items,
    party_reply,
    plan_at_committee,
    plan_in_force,
)
from workflows import errors
from workflows.models import MeetingItem, OpinionAnswer, OpinionRequest, Resolution, WorkItem, WorkItemState
from workflows.plan.models import AnnualPlan, DutyArea, PlanItem, PlanProgress, PlanStatus
from workflows.plan.services import plan_create, plan_save, plan_submit
from workflows.services.drafting import Recipient
from workflows.services.opinions import opinion_answer

D = datetime.date
AREAS = DutyArea.values


def rows_post(skip=(), reasons=None, owner=None, **overrides) -> dict:
    """The edit form's POST: one task per duty area (except ``skip``), each owned by ``owner`` (chosen
    with the people picker: the person's id), reasons for empty areas."""
    data = {"foreword": "以习近平新时代中国特色社会主义思想为指导"}
    for area in AREAS:
        if area not in skip:
            data[f"{area}-0-title"] = f"{area} 重点任务"
            data[f"{area}-0-owner"] = str(owner.pk) if owner else ""
            data[f"{area}-0-owner_text"] = "办公室"
            data[f"{area}-0-starts_on"] = "2027-03-01"
            data[f"{area}-0-ends_on"] = "2027-11-30"
        data[f"{area}-reason"] = (reasons or {}).get(area, "")
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_s2_1_plan_through_the_pages_from_draft_to_in_force_and_progress(cast, client):
    """S2.1 through HTTP: an empty area without reason is refused on submit, naming the area, with the
    recipients and due date kept; with the reason added the plan goes out; then the chain and progress."""
    client.force_login(cast.office)
    response = client.post(
        reverse("plan:new", args=[cast.union.pk]), {"year": 2027, "foreword": "围绕中心、服务大局"}
    )
    plan = AnnualPlan.objects.get(union=cast.union, year=2027)
    assert response.status_code == 302 and response["Location"] == reverse("plan:edit", args=[plan.pk])
    assert client.get(reverse("plan:edit", args=[plan.pk])).status_code == 200

    # every area but culture; culture left empty without a reason: saving is fine, submitting is not
    edit_url = reverse("plan:edit", args=[plan.pk])
    response = client.post(edit_url, rows_post(skip=["culture"], owner=cast.office))
    assert response.status_code == 302
    assert PlanItem.objects.filter(section__version=plan.current_version).count() == 6
    submit_url = reverse("plan:submit", args=[plan.pk])
    page = content(client.get(submit_url))
    assert shown(errors.PLAN_AREA_EMPTY, area=DutyArea.CULTURE.label) in page
    assert cast.group.name in page and str(cast.representatives[0]) in page
    chosen = [f"u{cast.group.pk}-{cast.group_leader.pk}", f"r{cast.representatives[0].pk}"]
    response = client.post(submit_url, {"recipients": chosen, "due_date": "2099-03-04"})
    assert response.status_code == 400
    page = content(response)
    assert "方面没有任务" in page and shown(DutyArea.CULTURE.label) in page  # S2.1, in words
    assert 'value="2099-03-04"' in page
    for key in chosen:
        assert re.search(rf'<input[^>]*value="{key}"[^>]*checked', page), key
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not OpinionRequest.objects.exists()

    # the reason added: the plan goes out for opinions
    response = client.post(
        reverse("plan:edit", args=[plan.pk]),
        rows_post(skip=["culture"], reasons={"culture": "由机关统一组织"}, owner=cast.office),
    )
    assert response.status_code == 302
    response = client.post(submit_url, {"recipients": chosen, "due_date": "2099-03-04"})
    assert response.status_code == 302 and response["Location"] == reverse("plan:detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SOLICITING
    assert set(OpinionRequest.objects.values_list("recipient__username", flat=True)) == {
        "a1g-leader",
        "a1-rep0",
    }
    assert OpinionRequest.objects.get(recipient=cast.group_leader).on_behalf_of == cast.group

    for item in open_items(plan, "give_opinion"):
        opinion_answer(work_item=item, actor=item.assignee, answer=OpinionAnswer.NO_OPINION)
    # consolidation: the submit page has no recipients any more
    response = client.post(submit_url, {})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMMITTEE_MEETING
    committee_meeting(plan, cast)
    party_reply(plan, cast)
    congress_meeting(plan, cast)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_FORCE

    # the owner records progress on a task
    item = PlanItem.objects.get(section__version=plan.current_version, section__area="competitions")
    detail = content(client.get(reverse("plan:detail", args=[plan.pk])))
    assert 'data-testid="execution"' in detail and "由机关统一组织" in detail
    assert 'data-testid="current-step"' not in detail
    response = client.post(
        reverse("plan:progress", args=[plan.pk, item.pk]),
        {"state": "on_track", "percent": "40", "note": "已完成初赛"},
    )
    assert response.status_code == 302
    progress = PlanProgress.objects.get()
    assert (progress.item_key, progress.percent, progress.recorded_by) == (item.key, 40, cast.office)
    detail = content(client.get(reverse("plan:detail", args=[plan.pk])))
    assert "已完成初赛" in detail and "40%" in detail
    assert Event.objects.filter(subject_type="plan.annualplan", verb="progress_recorded").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"training-0-starts_on": "2027-06-01", "training-0-ends_on": "2027-05-01"},
            lambda: shown(errors.PLAN_ITEM_DATES, title="training 重点任务"),
        ),
        (
            {"rights-0-owner": "", "rights-0-owner_q": "nobody-here"},
            lambda: shown(core_errors.PERSON_NO_MATCH, value="nobody-here"),
        ),
        ({"funds-0-title": ""}, lambda: shown(errors.PLAN_ITEM_TITLE)),
    ],
)
def test_bad_rows_are_refused_and_everything_typed_is_kept(cast, client, overrides, message):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    client.force_login(cast.office)
    data = rows_post(
        reasons={"culture": "<b>由机关统一组织</b>"},
        owner=cast.office,
        **overrides,
        **{"ideology-1-title": "学习宣传贯彻会议精神"},
    )
    response = client.post(reverse("plan:edit", args=[plan.pk]), data)
    assert response.status_code == 400
    page = content(response)
    assert message() in page
    for name, value in data.items():
        if value and name != "culture-reason" and not name.startswith("csrf"):
            assert f'value="{escape(value)}"' in page or escape(value) in page, name
    assert "&lt;b&gt;由机关统一组织&lt;/b&gt;" in page and "<b>由机关统一组织</b>" not in page
    assert 'value="学习宣传贯彻会议精神"' in page
    assert not PlanItem.objects.exists()


@pytest.mark.django_db
def test_add_row_keeps_what_was_typed(cast, client):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    client.force_login(cast.office)
    edit = reverse("plan:edit", args=[plan.pk])
    page = content(client.get(edit + "?rows=4"))
    assert 'name="ideology-3-title"' in page and 'name="ideology-4-title"' not in page
    response = client.post(edit + "?rows=3", {"ideology-0-title": "理论学习", "add_row": "1"})
    assert response.status_code == 200
    page = content(response)
    assert 'value="理论学习"' in page and 'name="funds-2-title"' in page
    assert not PlanItem.objects.exists()


@pytest.mark.django_db
def test_a_returned_plan_shows_its_versions_and_the_diff(cast, client):
    plan = plan_at_committee(cast)
    committee_meeting(plan, cast, Resolution.RETURN, "请细化时间表")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    client.force_login(cast.office)
    page = content(client.get(reverse("plan:edit", args=[plan.pk])))
    assert 'value="competitions 重点任务"' in page
    data = rows_post(
        **{"competitions-0-title": "岗位练兵技能竞赛", "funds-0-ends_on": "2027-12-31", "rights-0-title": ""},
        **{"rights-0-owner": "", "rights-0-owner_text": "", "rights-0-starts_on": "", "rights-0-ends_on": ""},
        reasons={"rights": "并入年度慰问安排"},
        owner=cast.office,
    )
    keys = {i.section.area: i.key for i in PlanItem.objects.filter(section__version=plan.current_version)}
    for area in AREAS:
        data[f"{area}-0-key"] = keys[area]
    response = client.post(reverse("plan:edit", args=[plan.pk]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.current_version.number == 2
    # the item key follows the item across versions
    assert (
        PlanItem.objects.get(section__version=plan.current_version, section__area="competitions").key
        == (keys["competitions"])
    )
    page = content(client.get(reverse("plan:detail", args=[plan.pk])))
    assert 'data-testid="diff"' in page
    assert "岗位练兵技能竞赛" in page and "rights 重点任务" in page and "2027-12-31" in page
    page = content(client.get(reverse("plan:detail", args=[plan.pk]) + "?version=1"))
    assert 'data-testid="diff"' not in page and "competitions 重点任务" in page
    response = client.post(reverse("plan:submit", args=[plan.pk]), {})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMMITTEE_MEETING


@pytest.mark.django_db
def test_progress_by_owner_or_officer_only_and_bad_progress_kept(cast, client):
    owner = cast.representatives[1]  # a representative who owns one task: not an officer
    plan = plan_in_force(cast, sections=plan_sections(cast.office, other_owner=owner))
    mine = PlanItem.objects.get(section__version=plan.current_version, section__area="competitions")
    other = PlanItem.objects.get(section__version=plan.current_version, section__area="funds")
    client.force_login(owner)
    page = content(client.get(reverse("plan:detail", args=[plan.pk])))
    assert f'action="{reverse("plan:progress", args=[plan.pk, mine.pk])}"' in page
    assert f'action="{reverse("plan:progress", args=[plan.pk, other.pk])}"' not in page
    response = client.post(
        reverse("plan:progress", args=[plan.pk, mine.pk]),
        {"state": "done", "percent": "150", "note": "决赛完成"},
    )
    assert response.status_code == 400
    page = content(response)
    assert 'value="150"' in page and "决赛完成" in page
    assert (
        client.post(
            reverse("plan:progress", args=[plan.pk, other.pk]), {"state": "done", "percent": "100"}
        ).status_code
        == 403
    )
    response = client.post(
        reverse("plan:progress", args=[plan.pk, mine.pk]),
        {"state": "done", "percent": "100", "note": "决赛完成"},
    )
    assert response.status_code == 302
    assert PlanProgress.objects.get().recorded_by == owner
    # an officer records on anyone's task
    client.force_login(cast.office)
    response = client.post(
        reverse("plan:progress", args=[plan.pk, other.pk]), {"state": "on_track", "percent": "10"}
    )
    assert response.status_code == 302
    assert PlanProgress.objects.count() == 2


@pytest.mark.django_db
def test_slipping_when_the_timetable_passed_and_not_done(cast, client):
    plan = plan_in_force(cast)
    late = PlanItem.objects.get(section__version=plan.current_version, section__area="training")
    PlanItem.objects.filter(pk=late.pk).update(starts_on=D(2020, 1, 1), ends_on=D(2020, 6, 30))
    client.force_login(cast.chair)
    page = content(client.get(reverse("plan:detail", args=[plan.pk])))
    block = page.split(f'data-testid="task-{late.pk}"')[1].split("</li>")[0]
    assert f'data-testid="indicator">{shown(gettext_lazy("slipping"))}<' in block
    on_time = PlanItem.objects.get(section__version=plan.current_version, section__area="funds")
    block = page.split(f'data-testid="task-{on_time.pk}"')[1].split("</li>")[0]
    assert f'data-testid="indicator">{shown(gettext_lazy("on time"))}<' in block


@pytest.mark.django_db
def test_outsider_gets_404_on_every_plan_url_and_nothing_changes(cast, client):
    plan = plan_in_force(cast)
    item = PlanItem.objects.filter(section__version=plan.current_version).first()
    client.force_login(cast.outsider)
    gets = [
        reverse("plan:list", args=[cast.union.pk]),
        reverse("plan:new", args=[cast.union.pk]),
        reverse("plan:detail", args=[plan.pk]),
        reverse("plan:edit", args=[plan.pk]),
        reverse("plan:submit", args=[plan.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("plan:new", args=[cast.union.pk]), {"year": 2028}),
        (reverse("plan:edit", args=[plan.pk]), rows_post()),
        (reverse("plan:submit", args=[plan.pk]), {}),
        (reverse("plan:withdraw", args=[plan.pk]), {}),
        (reverse("plan:progress", args=[plan.pk, item.pk]), {"state": "done", "percent": "100"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("plan:detail", args=[999999])).status_code == 404
    assert not PlanProgress.objects.exists()
    assert AnnualPlan.objects.count() == 1
    assert Event.objects.filter(verb="access_denied", actor=cast.outsider).count() >= 10


@pytest.mark.django_db
def test_supervisor_reads_but_cannot_act(tree, cast, supervisor_of, client):
    plan = plan_in_force(cast)
    item = PlanItem.objects.filter(section__version=plan.current_version).first()
    client.force_login(supervisor_of(tree["dept_a"]))
    page = client.get(reverse("plan:detail", args=[plan.pk]))
    assert page.status_code == 200 and 'data-testid="progress-form"' not in content(page)
    assert plan.title in content(client.get(reverse("plan:list", args=[cast.union.pk])))
    assert client.get(reverse("plan:new", args=[cast.union.pk])).status_code == 403
    assert client.post(reverse("plan:new", args=[cast.union.pk]), {"year": 2028}).status_code == 403
    assert client.get(reverse("plan:edit", args=[plan.pk])).status_code == 403
    assert client.get(reverse("plan:submit", args=[plan.pk])).status_code == 403
    assert client.post(reverse("plan:withdraw", args=[plan.pk])).status_code == 403
    response = client.post(
        reverse("plan:progress", args=[plan.pk, item.pk]), {"state": "done", "percent": "100"}
    )
    assert response.status_code == 403
    assert not PlanProgress.objects.exists() and AnnualPlan.objects.count() == 1


@pytest.mark.django_db
def test_participant_sees_only_what_is_before_them(cast, client):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    plan_save(actor=cast.office, plan=plan, sections=plan_sections(cast.office))
    plan_submit(
        actor=cast.office,
        plan=plan,
        recipients=[Recipient(cast.representatives[0])],
        due_at=timezone.now() + datetime.timedelta(days=5),
    )
    client.force_login(cast.representatives[0])
    page = client.get(reverse("plan:detail", args=[plan.pk]))
    assert page.status_code == 200 and 'data-testid="edit"' not in content(page)
    assert client.get(reverse("plan:edit", args=[plan.pk])).status_code == 403
    assert plan.title in content(client.get(reverse("plan:list", args=[cast.union.pk])))
    client.force_login(cast.representatives[3])
    assert client.get(reverse("plan:detail", args=[plan.pk])).status_code == 404
    assert plan.title not in content(client.get(reverse("plan:list", args=[cast.union.pk])))


@pytest.mark.django_db
def test_drafter_withdraws_before_a_decision(cast, client):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    client.force_login(cast.chair)
    assert client.post(reverse("plan:withdraw", args=[plan.pk])).status_code == 403
    client.force_login(cast.office)
    response = client.post(
        reverse("plan:withdraw", args=[plan.pk]),
        {"reason": "重新起草", "confirm": "yes"},  # 撤回 confirmed
    )
    assert response.status_code == 302 and response["Location"] == reverse("plan:detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.WITHDRAWN
    # a new plan for the year may be started once the old one is withdrawn; a second live one is refused
    assert client.post(reverse("plan:new", args=[cast.union.pk]), {"year": 2027}).status_code == 302
    response = client.post(reverse("plan:new", args=[cast.union.pk]), {"year": 2027, "foreword": "再来一份"})
    assert response.status_code == 400
    assert "2027" in content(response) and "再来一份" in content(response)


@pytest.mark.django_db
def test_document_page_query_count_is_bounded(cast, client):
    plan = plan_at_committee(
        cast, recipients=[Recipient(cast.group_leader, cast.group), Recipient(cast.representatives[0])]
    )
    url = reverse("plan:detail", args=[plan.pk])
    client.force_login(cast.chair)  # a recorder of the committee: the who-acts rows carry actions
    client.get(url)  # the first page after logging in also saves the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and 'data-testid="claim"' in content(response)
    assert len(queries) <= 20, _listing(queries)

    committee_meeting(plan, cast)
    party_reply(plan, cast)
    congress_meeting(plan, cast)
    client.force_login(cast.office)
    for item in PlanItem.objects.filter(section__version=plan.current_version):
        client.post(reverse("plan:progress", args=[plan.pk, item.pk]), {"state": "on_track", "percent": "30"})
    client.post(
        reverse("workflows:comment", args=["annual_plan", plan.pk]), {"text": "请各责任人按月报送进度"}
    )
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and content(response).count('data-testid="latest-progress"') == 7
    # 22: the meetings' and written decisions' files are listed under each decision (issue 21)
    assert len(queries) <= 22, _listing(queries)


def _listing(queries) -> str:
    return "\n".join(q["sql"][:160] for q in queries.captured_queries)


@pytest.mark.django_db
def test_demo_plans_through_the_services_and_idempotent(capsys):
    from django.core.management import call_command

    call_command("seed_demo", through="reports")
    fin = AnnualPlan.objects.get(union__code="fin-office", year=2027)
    edu = AnnualPlan.objects.get(union__code="edu-office", year=2027)
    assert fin.status == PlanStatus.IN_FORCE and fin.progress.count() == 3
    assert edu.status == PlanStatus.COMMITTEE_MEETING
    # issue 24: fin-centre's committee vote did not pass; the plan is back with its drafter
    centre = AnnualPlan.objects.get(union__code="fin-centre", year=2027)
    (revise,) = WorkItem.objects.filter(process=centre.process, state=WorkItemState.OPEN)
    assert centre.status == PlanStatus.RETURNED and revise.step == "revise"
    assert revise.assignee.username == "fin-centre-office" and revise.note.startswith("表决未通过：赞成 ")
    assert MeetingItem.objects.get(work_item__process=centre.process).not_passed
    assert "demo plan:" in capsys.readouterr().out
    events = Event.objects.filter(subject_type="plan.annualplan").count()
    plans = AnnualPlan.objects.count()  # fin-office, edu-office, fin-centre, and edu-exam's (its work report)
    call_command("seed_demo", through="reports")
    assert AnnualPlan.objects.count() == plans == 4 and PlanProgress.objects.count() == 3
    assert Event.objects.filter(subject_type="plan.annualplan").count() == events
