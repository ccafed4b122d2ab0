"""Year-end summary and work report pages through HTTP (S2.3): the summary pre-filled from the plan,
reported to the Party organisation and acknowledged in writing; the work report binding the summary and
next year's plan, decided by the congress together with the plan, submitted upward, acknowledged or
returned with opinions and resubmitted on the upper-level union's received reports page; scope."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.models import Body, Event, UnionKind
from core.services.statutory import obligations_generate
from core.statutory import Obligation, ObligationStatus
from tests.factories import make_union
from tests.pages import content, shown
from tests.scenarios import (
    acknowledged_summary,
    congress_decides,
    congress_meeting,
    open_item,
    plan_before_congress,
)
from workflows import errors
from workflows.models import WrittenDecision
from workflows.plan.models import AnnualPlan, PlanItem, PlanStatus
from workflows.plan.services import plan_create, plan_progress_record
from workflows.reports.models import (
    CongressReport,
    ReportKind,
    ReportStatus,
    ReportVersion,
    Submission,
    SubmissionState,
    SummaryStatus,
    YearEndSummary,
)
from workflows.reports.services import (
    report_submit_upward,
    summary_create,
    work_report_create,
    work_report_submit,
)


def textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, name
    return match.group(1)


def plan_in_force_2026(cast):
    """The year's plan in force, with progress on one task: what the summary starts from."""
    plan = plan_before_congress(cast, year=2026)
    congress_meeting(plan, cast)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_FORCE
    item = PlanItem.objects.get(section__version=plan.current_version, section__area="competitions")
    plan_progress_record(
        actor=cast.office, plan=plan, item=item, state="done", percent=100, note="技能竞赛决赛已完成"
    )
    return plan


def submitted_upward(cast):
    acknowledged_summary(cast)
    plan_before_congress(cast)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    work_report_submit(actor=cast.office, report=report)
    congress_decides(cast, [open_item(report, "congress_ratification")])
    (submission,) = report_submit_upward(actor=cast.office, report=report)
    report.refresh_from_db()
    return report, submission


@pytest.mark.django_db
def test_s2_3_summary_report_congress_and_acknowledgement_through_the_pages(
    cast, tree, supervisor_of, client
):
    obligations_generate(fiscal_year=2026)
    plan_in_force_2026(cast)

    # The summary form is pre-filled from the year's plan in force and its progress.
    client.force_login(cast.office)
    new_url = reverse("reports:summary_new", args=[cast.union.pk])
    page = content(client.get(new_url + "?year=2026"))
    prefilled = textarea(page, "text")
    assert "competitions 重点任务" in prefilled and "技能竞赛决赛已完成" in prefilled
    response = client.post(new_url, {"year": "2026", "text": "全年工作总结（修改稿）\n" + prefilled})
    summary = YearEndSummary.objects.get(union=cast.union, year=2026)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:summary_detail", args=[summary.pk])
    assert summary.current_version.text.startswith("全年工作总结（修改稿）")
    detail = reverse("reports:summary_detail", args=[summary.pk])
    page = content(client.get(detail))
    assert 'data-testid="chain"' in page and "技能竞赛决赛已完成" in page
    assert reverse("reports:summary_submit", args=[summary.pk]) in page

    # The drafter edits, then reports it in writing to the Party organisation.
    response = client.post(
        reverse("reports:summary_edit", args=[summary.pk]),
        {"text": "全年完成七个方面工作任务。", "save": "1"},
    )
    assert response.status_code == 302
    assert client.post(reverse("reports:summary_submit", args=[summary.pk])).status_code == 302
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.PARTY_REPORT
    assert 'data-testid="edit"' not in content(client.get(detail))

    # The Party organisation's secretary records the written acknowledgement on the generic page.
    item = open_item(summary, "party_approval")
    client.force_login(cast.party_secretary)
    decision_url = reverse("workflows:written_decision", args=[item.pk])
    assert client.get(decision_url).status_code == 200
    response = client.post(
        decision_url,
        {"resolution": "approve", "reference_number": "机党〔2027〕1号", "decided_on": timezone.localdate()},
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.IN_FORCE
    # the written report is not the hearing: S1.2 is met only when the Party organisation hears it
    assert Obligation.objects.get(union=cast.union, code="S1.2", fiscal_year=2026).met_on is None
    client.force_login(cast.office)
    page = content(client.get(detail))
    assert "机党〔2027〕1号" in page and 'data-testid="decisions"' in page
    assert 'data-testid="current-step"' not in page

    # Next year's plan is before the congress; the drafter merges both into the work report.
    plan = plan_before_congress(cast)
    response = client.post(reverse("reports:report_new", args=[cast.union.pk]), {"year": "2026", "text": ""})
    report = CongressReport.objects.get(union=cast.union, year=2026)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])
    report_url = reverse("reports:report_detail", args=[report.pk])
    page = content(client.get(report_url))
    bound = page.split('data-testid="bound"')[1].split("</ul>")[0]
    assert f"{reverse('reports:summary_detail', args=[summary.pk])}?version=1" in bound
    plan_version = plan.current_version.number
    assert f"{reverse('plan:detail', args=[plan.pk])}?version={plan_version}" in bound
    assert f"v{plan_version}" in bound and "v1" in bound
    assert "全年完成七个方面工作任务。" in page  # the summary's text is merged into the report

    response = client.post(reverse("reports:report_submit", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CONGRESS_RATIFICATION

    # The congress's chair records the congress: the report, and through it the plan, approved.
    congress_body = Body.objects.get(union=cast.union, kind="congress")
    report_item = open_item(report, "congress_ratification")
    client.force_login(cast.congress_chair)
    meeting_url = reverse("workflows:meeting_new", args=[congress_body.pk])
    page = content(client.get(meeting_url))
    assert f'value="{report_item.pk}"' in page
    response = client.post(
        meeting_url,
        {
            "held_on": timezone.localdate().isoformat(),
            "place": "机关礼堂",
            "attendees": [p.pk for p in cast.congress],
            "agenda": [report_item.pk],
            f"item-{report_item.pk}-votes_for": "6",
            f"item-{report_item.pk}-votes_against": "0",
            f"item-{report_item.pk}-votes_abstain": "0",
            f"item-{report_item.pk}-resolution": "approve",
            f"item-{report_item.pk}-opinions": "",
        },
    )
    assert response.status_code == 302, content(response)
    report.refresh_from_db()
    plan.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTING
    assert plan.status == PlanStatus.IN_FORCE

    # The drafter submits it upward.
    client.force_login(cast.office)
    page = content(client.get(report_url))
    assert 'data-testid="submit-upward"' in page and 'data-testid="decisions"' in page
    # 报送 asks first; confirmed, it is sent and the drafter is back on the report
    upward = client.post(reverse("reports:report_submit_upward", args=[report.pk]), {"confirm": "yes"})
    assert upward.status_code == 302 and upward["Location"] == report_url
    report.refresh_from_db()
    (submission,) = Submission.objects.all()
    assert report.status == ReportStatus.IN_FORCE and submission.to_union == tree["dept_a"]
    assert Obligation.objects.get(union=cast.union, code="S2.3", fiscal_year=2026).met_on is not None
    page = content(client.get(report_url))
    assert f'data-testid="submission-{submission.pk}"' in page and tree["dept_a"].name in page

    # The department's supervisor sees it with the rate of the unions below, and acknowledges it.
    supervisor = supervisor_of(tree["dept_a"])
    client.force_login(supervisor)
    union_page = content(client.get(reverse("union_detail", args=[tree["dept_a"].pk])))
    received_url = reverse("reports:received", args=[tree["dept_a"].pk])
    assert received_url in union_page
    page = content(client.get(received_url))
    assert report.title in page and report_url in page
    rate = page.split('data-testid="rate-work_report-2026"')[1].split('class="card"')[0]
    assert re.search(r"1\D+2", rate.split('data-testid="rate">')[1].split("<")[0])
    assert tree["a2"].name in rate and f">{tree['a1'].name}<" not in rate
    assert client.get(report_url).status_code == 200  # supervisors above open the report
    response = client.post(reverse("reports:acknowledge", args=[submission.pk]))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.ACKNOWLEDGED and submission.acted_by == supervisor
    page = content(client.get(received_url))
    assert 'data-testid="acknowledge"' not in page
    block = content(client.get(report_url)).split(f'data-testid="submission-{submission.pk}"')[1]
    assert shown(SubmissionState.ACKNOWLEDGED.label) in block.split("</li>")[0]
    assert str(supervisor) in block.split("</li>")[0]


@pytest.mark.django_db
def test_return_with_opinions_and_the_corrected_resubmission(cast, tree, supervisor_of, client):
    obligations_generate(fiscal_year=2026)
    report, submission = submitted_upward(cast)
    supervisor = supervisor_of(tree["dept_a"])
    client.force_login(supervisor)
    return_url = reverse("reports:return", args=[submission.pk])

    # empty opinions are refused, the submission stays pending
    response = client.post(return_url, {"opinions": "  \n "})
    assert response.status_code == 400
    assert shown(errors.RETURN_NEEDS_REASON) in content(response)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED

    response = client.post(return_url, {"opinions": "请补充<职工书屋>建设情况"})
    assert response.status_code == 302
    submission.refresh_from_db()
    report.refresh_from_db()
    assert submission.state == SubmissionState.RETURNED
    assert report.status == ReportStatus.CORRECTION
    s23 = Obligation.objects.get(union=cast.union, code="S2.3", fiscal_year=2026)
    assert s23.status == ObligationStatus.RETURNED
    page = content(client.get(reverse("reports:received", args=[tree["dept_a"].pk])))
    rate = page.split('data-testid="rate-work_report-2026"')[1].split('class="card"')[0]
    assert cast.union.name in rate and shown(ObligationStatus.RETURNED.label) in rate

    # the drafter sees the opinions and corrects the report
    client.force_login(cast.office)
    report_url = reverse("reports:report_detail", args=[report.pk])
    page = content(client.get(report_url))
    assert "请补充&lt;职工书屋&gt;建设情况" in page and 'data-testid="resubmit"' in page
    resubmit_url = reverse("reports:report_resubmit", args=[report.pk])
    page = content(client.get(resubmit_url))
    assert "请补充&lt;职工书屋&gt;建设情况" in page
    assert escape(report.current_version.text) in textarea(page, "text")
    response = client.post(resubmit_url, {"text": ""})
    assert response.status_code == 400 and report.versions.count() == 1
    response = client.post(resubmit_url, {"text": "（修订）增加职工书屋建设情况。"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_FORCE and report.current_version.number == 2
    again = Submission.objects.get(state=SubmissionState.SUBMITTED)
    assert again.version == report.current_version and again.to_union == tree["dept_a"]
    s23.refresh_from_db()
    assert s23.status == ObligationStatus.MET
    # the drafter cannot resubmit what was not returned
    assert client.post(resubmit_url, {"text": "再改一次"}).status_code == 409

    # back at the department: the new version waits, the rate counts the union again
    client.force_login(supervisor)
    page = content(client.get(reverse("reports:received", args=[tree["dept_a"].pk])))
    assert (
        f'data-testid="submission-{again.pk}"' in page and f'data-testid="submission-{submission.pk}"' in page
    )
    assert page.index(f"submission-{again.pk}") < page.index(f"submission-{submission.pk}")  # newest first
    rate = page.split('data-testid="rate-work_report-2026"')[1].split('class="card"')[0]
    assert f">{cast.union.name}<" not in rate


@pytest.mark.django_db
def test_a_return_on_a_closed_submission_keeps_the_opinions_typed(cast, tree, supervisor_of, client):
    _report, submission = submitted_upward(cast)
    first, second = supervisor_of(tree["dept_a"]), supervisor_of(tree["dept_a"])
    client.force_login(first)
    assert client.post(reverse("reports:acknowledge", args=[submission.pk])).status_code == 302
    client.force_login(second)
    response = client.post(reverse("reports:return", args=[submission.pk]), {"opinions": "数据需核实"})
    assert response.status_code == 409
    page = content(response)
    assert shown(errors.SUBMISSION_CLOSED) in page and "数据需核实" in page
    submission.refresh_from_db()
    assert submission.state == SubmissionState.ACKNOWLEDGED and submission.acted_by == first
    assert client.post(reverse("reports:acknowledge", args=[submission.pk])).status_code == 409


@pytest.mark.django_db
def test_work_report_refused_without_the_summary_or_the_plan_and_input_kept(cast, client):
    client.force_login(cast.office)
    new_url = reverse("reports:report_new", args=[cast.union.pk])
    response = client.post(new_url, {"year": "2026", "text": "我的<报告>草稿"})
    assert response.status_code == 400
    page = content(response)
    assert shown(errors.REPORT_NEEDS_SUMMARY, year=2026) in page
    assert 'value="2026"' in page and "我的&lt;报告&gt;草稿" in textarea(page, "text")
    acknowledged_summary(cast)
    response = client.post(new_url, {"year": "2026", "text": "我的报告草稿"})
    assert response.status_code == 400
    assert shown(errors.REPORT_NEEDS_PLAN, year=2027) in content(response)
    assert not CongressReport.objects.exists()

    # the plan exists but is not before the congress yet: the report starts, but cannot go out
    plan_create(actor=cast.office, union=cast.union, year=2027)
    assert client.post(new_url, {"year": "2026", "text": "我的报告草稿"}).status_code == 302
    report = CongressReport.objects.get()
    page = content(client.get(reverse("reports:report_detail", args=[report.pk])))
    assert shown(errors.REPORT_PLAN_NOT_BEFORE_CONGRESS, year=2027) in page
    response = client.post(reverse("reports:report_submit", args=[report.pk]))
    assert response.status_code == 400
    assert shown(errors.REPORT_PLAN_NOT_BEFORE_CONGRESS, year=2027) in content(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    # a second report for the year is refused, naming it
    response = client.post(new_url, {"year": "2026", "text": "第二份"})
    assert response.status_code == 400 and "第二份" in content(response)
    assert shown(errors.REPORT_EXISTS, union=cast.union.name, year=2026) in content(response)


@pytest.mark.django_db
def test_only_the_drafter_edits_submits_and_submits_upward(cast, tree, client):
    acknowledged_summary(cast)
    plan_before_congress(cast)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    summary = YearEndSummary.objects.get()
    client.force_login(cast.chair)  # an officer: reads, may not act as the drafter
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 200
    for url in (
        reverse("reports:report_edit", args=[report.pk]),
        reverse("reports:summary_edit", args=[summary.pk]),
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        reverse("reports:report_submit", args=[report.pk]),
        reverse("reports:report_submit_upward", args=[report.pk]),
        reverse("reports:report_resubmit", args=[report.pk]),
        reverse("reports:summary_submit", args=[summary.pk]),
    ):
        assert client.post(url, {"text": "x"}).status_code == 403, url
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    # a representative sees the report once it is before the congress, read-only
    client.force_login(cast.representatives[2])
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 404
    work_report_submit(actor=cast.office, report=report)
    page = client.get(reverse("reports:report_detail", args=[report.pk]))
    assert page.status_code == 200 and 'data-testid="edit"' not in content(page)
    assert report.title in content(client.get(reverse("reports:list", args=[cast.union.pk])))


@pytest.mark.django_db
def test_scope_outsiders_get_404_siblings_404_and_non_supervisors_403(cast, tree, supervisor_of, client):
    report, submission = submitted_upward(cast)
    summary = YearEndSummary.objects.get()
    client.force_login(cast.outsider)
    union_pk, dept_pk = cast.union.pk, tree["dept_a"].pk
    gets = [
        reverse("reports:list", args=[union_pk]),
        reverse("reports:summary_new", args=[union_pk]),
        reverse("reports:summary_detail", args=[summary.pk]),
        reverse("reports:summary_edit", args=[summary.pk]),
        reverse("reports:report_new", args=[union_pk]),
        reverse("reports:report_detail", args=[report.pk]),
        reverse("reports:report_edit", args=[report.pk]),
        reverse("reports:report_resubmit", args=[report.pk]),
        reverse("reports:received", args=[union_pk]),
        reverse("reports:received", args=[dept_pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("reports:summary_new", args=[union_pk]), {"year": "2027", "text": "x"}),
        (reverse("reports:summary_edit", args=[summary.pk]), {"text": "x"}),
        (reverse("reports:summary_submit", args=[summary.pk]), {}),
        (reverse("reports:report_new", args=[union_pk]), {"year": "2027"}),
        (reverse("reports:report_edit", args=[report.pk]), {"text": "x"}),
        (reverse("reports:report_submit", args=[report.pk]), {}),
        (reverse("reports:report_submit_upward", args=[report.pk]), {}),
        (reverse("reports:report_resubmit", args=[report.pk]), {"text": "x"}),
        (reverse("reports:acknowledge", args=[submission.pk]), {}),
        (reverse("reports:return", args=[submission.pk]), {"opinions": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("reports:report_detail", args=[999999])).status_code == 404
    assert Event.objects.filter(verb="access_denied", actor=cast.outsider).count() >= 19

    # the supervisor of the sibling department: 404 on the other department's received reports
    client.force_login(supervisor_of(tree["dept_b"]))
    assert client.get(reverse("reports:received", args=[dept_pk])).status_code == 404
    assert client.post(reverse("reports:acknowledge", args=[submission.pk])).status_code == 404
    assert client.post(reverse("reports:return", args=[submission.pk]), {"opinions": "x"}).status_code == 404
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 404

    # a chair may view the union but holds no supervisor seat there: 403
    client.force_login(cast.chair)
    assert client.get(reverse("reports:received", args=[union_pk])).status_code == 403
    # the provincial supervisor supervises dept_a from above, but is not seated there: 403
    client.force_login(supervisor_of(tree["prov"]))
    assert client.get(reverse("reports:received", args=[dept_pk])).status_code == 403
    assert client.post(reverse("reports:acknowledge", args=[submission.pk])).status_code == 403
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED


def _received_reports(dept, drafter, how_many: int) -> None:
    """Grassroots unions below ``dept``, each with a work report submitted to it (rows only: the page
    reads them), one in three returned for correction."""
    for i in range(how_many):
        union = make_union(UnionKind.GRASSROOTS, dept)
        report = CongressReport.objects.create(
            union=union,
            kind=ReportKind.WORK_REPORT,
            year=2026,
            title=f"{union.name}2026年度工作报告",
            drafter=drafter,
            status=ReportStatus.IN_FORCE,
        )
        version = ReportVersion.objects.create(report=report, number=1, text="报告", created_by=drafter)
        Submission.objects.create(
            report=report,
            version=version,
            to_union=dept,
            submitted_by=drafter,
            state=SubmissionState.RETURNED if i % 3 == 0 else SubmissionState.SUBMITTED,
            opinions="请补充" if i % 3 == 0 else "",
        )


@pytest.mark.django_db
def test_received_page_query_count_is_bounded(cast, tree, supervisor_of, client):
    dept = tree["dept_a"]
    client.force_login(supervisor_of(dept))
    url = reverse("reports:received", args=[dept.pk])
    for more in (3, 27):  # 3 submissions, then 30
        _received_reports(dept, cast.office, more)
        client.get(url)  # the first page after logging in also saves the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(queries) <= 12, "\n".join(q["sql"][:160] for q in queries.captured_queries)
    page = content(response)
    assert page.count('data-testid="acknowledge"') == len(re.findall(r'data-testid="return-form"', page))
    assert 'data-testid="next-page"' in page  # 30 submissions: more than one page
    # page two, through the keyset cursor
    next_url = re.search(r'href="([^"]+)" data-testid="next-page"', page).group(1).replace("&amp;", "&")
    with CaptureQueriesContext(connection) as queries:
        second = client.get(next_url)
    assert second.status_code == 200 and len(queries) <= 12
    shown_ids = set(re.findall(r'data-testid="submission-(\d+)"', page))
    more_ids = set(re.findall(r'data-testid="submission-(\d+)"', content(second)))
    assert len(shown_ids) == 20 and len(more_ids) == 10 and not shown_ids & more_ids
    # grassroots a1, a2 and the 30 new unions owe the report; 20 of the 30 submitted, 10 were returned
    rate = page.split('data-testid="rate-work_report-2026"')[1].split('data-testid="received"')[0]
    assert re.search(r"20\D+32", rate.split('data-testid="rate">')[1].split("<")[0])
    assert client.get(url + "?before=garbage_").status_code == 200


@pytest.mark.django_db
def test_demo_reports_through_the_services_and_idempotent(client, capsys):
    from django.core.management import call_command

    call_command("seed_demo", through="reports")
    assert "demo report:" in capsys.readouterr().out
    summary = YearEndSummary.objects.get(union__code="edu-exam", year=2026)
    report = CongressReport.objects.get(union__code="edu-exam", year=2026)
    plan = AnnualPlan.objects.get(union__code="edu-exam", year=2027)
    assert summary.status == SummaryStatus.IN_FORCE
    assert WrittenDecision.objects.filter(work_item__process=summary.process).count() == 1
    assert plan.status == PlanStatus.IN_FORCE and report.status == ReportStatus.IN_FORCE
    (submission,) = Submission.objects.filter(report=report)
    assert submission.to_union.code == "edu" and submission.state == SubmissionState.SUBMITTED
    bound = set(report.current_version.bindings.values_list("document_type", "document_id"))
    assert bound == {("year_end_summary", summary.pk), ("annual_plan", plan.pk)}
    events = Event.objects.count()
    call_command("seed_demo", through="reports")
    assert Event.objects.count() == events and Submission.objects.count() == 1
    from core.models import User

    client.force_login(User.objects.get(username="edu-supervisor"))
    page = content(client.get(reverse("reports:received", args=[submission.to_union_id])))
    assert report.title in page and 'data-testid="acknowledge"' in page


@pytest.mark.django_db
def test_save_and_submit_sends_the_summary_on_or_keeps_the_typed_text(cast, client):
    summary = summary_create(actor=cast.office, union=cast.union, year=2026, text="")
    edit = reverse("reports:summary_edit", args=[summary.pk])
    client.force_login(cast.office)
    # an empty text is refused at submission: 400, the reason shown, nothing sent on
    response = client.post(edit, {"text": " ", "save_and_submit": "1"})
    assert response.status_code == 400
    assert str(errors.SUMMARY_EMPTY) in content(response)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DRAFT
    response = client.post(edit, {"text": "全年完成七个方面工作任务。", "save_and_submit": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:summary_detail", args=[summary.pk])
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.PARTY_REPORT
    assert summary.current_version.text == "全年完成七个方面工作任务。"
