"""The half-year budget execution analysis (S3.4): actuals typed or imported against the budget in
force, variance and rate, filing with the union committee's note meets the half-year obligation and
shows the analysis to the upper-level union; siblings and outsiders see nothing; bad input is kept."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from core.models import Event
from core.statutory import Obligation
from tests import scenarios
from tests.factories import make_execution_review
from tests.scenarios import (
    adjustment_submitted,
    at,
    audit_meeting,
    congress_meeting,
    party_reply,
    travel,
)
from workflows.execution import errors
from workflows.execution.models import BudgetExecutionReview, ExecutionLine, ReviewStatus
from workflows.execution.services import review_create, review_file, review_save_actuals

ACTUALS = {
    "401": Decimal("60000.00"),
    "402": Decimal("150000.00"),
    "50101": Decimal("90000.00"),
    "50102": Decimal("50000.00"),
    "50502": Decimal("30000.00"),
}
NOTE = "上半年收入按进度到位，文体活动支出偏慢，下半年加快运动会筹备。"
YEAR = 2026  # the year of the budget in force (the budget_in_force fixture)


def zh(message, **params) -> str:
    with translation.override("zh-hans"):
        return str(message % params if params else message)


def h1_obligation(cast):
    return Obligation.objects.get(union=cast.union, code="S3.4-analysis", fiscal_year=YEAR, period="H1")


@pytest.fixture
def review(cast, budget_in_force):
    with travel(at(YEAR, 7, 5, 9, 0)):
        return make_execution_review(cast, budget_in_force)


@pytest.mark.django_db
def test_s3_4_filing_the_half_year_analysis_meets_the_obligation_and_shows_it_upward(
    cast, tree, review, client, supervisor_of
):
    supervisor = supervisor_of(tree["dept_a"])
    client.force_login(supervisor)
    assert client.get(reverse("execution:detail", args=[review.pk])).status_code == 404  # a draft: not yet
    with travel(at(YEAR, 7, 10, 9, 0)):
        review_save_actuals(actor=cast.office, review=review, actuals=ACTUALS)
        assert h1_obligation(cast).met_on is None
        review_file(actor=cast.chair, review=review, note=NOTE)
    review.refresh_from_db()
    assert review.status == ReviewStatus.FILED and review.filed_by == cast.chair
    obligation = h1_obligation(cast)
    assert obligation.status == "met" and str(obligation.met_on) == f"{YEAR}-07-10"
    assert obligation.met_by == f"budgetexecutionreview:{review.pk}"
    assert Event.objects.filter(verb="execution_review_filed", subject_id=str(review.pk)).exists()
    # the supervisors above are told once, with a link to the analysis
    from notifications.models import Notification

    told = Notification.objects.filter(dedupe_key=f"execution-filed:{review.pk}")
    assert [n.recipient for n in told] == [supervisor]
    assert told[0].url == reverse("execution:detail", args=[review.pk])
    line = ExecutionLine.objects.get(review=review, account_id="50102")
    assert line.variance == Decimal("-150000.00") and line.rate == Decimal("25.0")
    # the upper-level union sees it, on its page of analyses filed below and on the analysis itself
    client.force_login(supervisor)
    page = client.get(reverse("execution:received", args=[tree["dept_a"].pk])).content.decode()
    assert str(review) in page
    html = client.get(reverse("execution:detail", args=[review.pk])).content.decode()
    assert NOTE in html and "25.0%" in html and 'data-code="50102"' in html
    export = client.get(reverse("execution:export", args=[review.pk]))
    values = [
        c for row in load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True) for c in row
    ]
    assert "执行率（%）" in values and 150000 in values and NOTE in values
    # filed: no more changes
    with pytest.raises(ValidationError):
        review_save_actuals(actor=cast.office, review=review, actuals=ACTUALS)


@pytest.mark.django_db
def test_s3_4_analysis_is_filed_only_after_the_period_with_every_actual_and_a_note(cast, review):
    with travel(at(YEAR, 6, 30, 23, 0)), pytest.raises(ValidationError) as exc:
        review_file(actor=cast.chair, review=review, note="")
    messages = exc.value.messages
    assert (
        str(
            errors.PERIOD_NOT_OVER
            % {"period": review.get_period_display(), "year": YEAR, "end": f"{YEAR}-06-30"}
        )
        in messages
    )
    assert str(errors.ACTUALS_MISSING % {"count": 5}) in messages
    assert str(errors.NOTE_REQUIRED) in messages
    with travel(at(YEAR, 7, 1, 9, 0)):
        # the office prepares; the union committee (its chair) files; the audit director may not
        with pytest.raises(PermissionDenied):
            review_save_actuals(actor=cast.audit_director, review=review, actuals=ACTUALS)
        review_save_actuals(actor=cast.office, review=review, actuals=ACTUALS)
        with pytest.raises(PermissionDenied):
            review_file(actor=cast.audit_director, review=review, note=NOTE)
        with pytest.raises(PermissionDenied):
            review_file(actor=cast.committee_members[0], review=review, note=NOTE)
        review_file(actor=cast.chair, review=review, note=NOTE)
    with pytest.raises(ValidationError):
        review_create(actor=cast.office, budget=review.budget, period="H1")  # once per period


@pytest.mark.django_db
def test_s3_4_actuals_are_imported_from_the_template_and_bad_files_are_reported(cast, review, client):
    client.force_login(cast.office)
    template = client.get(reverse("execution:template", args=[review.pk]))
    assert template.status_code == 200
    wb = load_workbook(BytesIO(template.content))
    ws = wb.active
    for row in ws.iter_rows(min_row=4):
        if row[0].value in ACTUALS:
            row[4].value = float(ACTUALS[row[0].value])
    bad = BytesIO()
    ws.cell(4, 5).value = "一万"
    wb.save(bad)
    response = client.post(
        reverse("execution:import", args=[review.pk]), {"file": SimpleUploadedFile("h1.xlsx", bad.getvalue())}
    )
    assert response.status_code == 400
    assert "第4行" in response.content.decode() or "Row 4" in response.content.decode()
    assert not ExecutionLine.objects.filter(review=review, actual__isnull=False).exists()  # all or nothing
    good = BytesIO()
    ws.cell(4, 5).value = float(ACTUALS[ws.cell(4, 1).value])
    wb.save(good)
    response = client.post(
        reverse("execution:import", args=[review.pk]),
        {"file": SimpleUploadedFile("h1.xlsx", good.getvalue())},
    )
    assert response.status_code == 302
    assert dict(ExecutionLine.objects.filter(review=review).values_list("account_id", "actual")) == ACTUALS


@pytest.mark.django_db
def test_s3_4_bad_typed_actuals_and_an_empty_note_are_refused_and_kept(cast, review, client):
    client.force_login(cast.office)
    data = {f"actual_{code}": str(amount) for code, amount in ACTUALS.items()}
    data["actual_50102"] = "-5"
    data["actual_401"] = "６００００"  # full-width digits are fine
    response = client.post(reverse("execution:actuals", args=[review.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "金额不能为负数" in html and 'value="-5"' in html and 'value="６００００"' in html
    data["actual_50102"] = "50000"
    assert client.post(reverse("execution:actuals", args=[review.pk]), data).status_code == 302
    with travel(at(YEAR, 7, 20, 9, 0)):
        client.force_login(cast.chair)
        response = client.post(reverse("execution:file", args=[review.pk]), {"note": "   "})
    assert response.status_code == 400
    assert escape(zh(errors.NOTE_REQUIRED)) in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


@pytest.mark.django_db
def test_s3_4_siblings_outsiders_and_other_supervisors_are_refused_on_every_page(
    cast, tree, review, sibling, client, supervisor_of
):
    with travel(at(YEAR, 7, 10, 9, 0)):
        review_save_actuals(actor=cast.office, review=review, actuals=ACTUALS)
        review_file(actor=cast.chair, review=review, note=NOTE)
    pages = [
        ("get", reverse("execution:list", args=[cast.union.pk])),
        ("post", reverse("execution:new", args=[cast.union.pk])),
        ("get", reverse("execution:detail", args=[review.pk])),
        ("get", reverse("execution:actuals", args=[review.pk])),
        ("post", reverse("execution:import", args=[review.pk])),
        ("get", reverse("execution:template", args=[review.pk])),
        ("post", reverse("execution:file", args=[review.pk])),
        ("get", reverse("execution:export", args=[review.pk])),
    ]
    for user in (cast.outsider, sibling, supervisor_of(tree["dept_b"])):
        client.force_login(user)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 404, (user.username, method, url)
    # a sibling's supervisor page does not list a1's analysis; a grassroots chair has no such page
    client.force_login(supervisor_of(tree["dept_b"]))
    assert (
        str(review)
        not in client.get(reverse("execution:received", args=[tree["dept_b"].pk])).content.decode()
    )
    client.force_login(sibling)
    assert client.get(reverse("execution:received", args=[tree["a2"].pk])).status_code == 403
    # the supervisor above reads but does not change
    client.force_login(supervisor_of(tree["dept_a"]))
    assert client.get(reverse("execution:detail", args=[review.pk])).status_code == 200
    assert client.get(reverse("execution:actuals", args=[review.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("years", [1, 4])
def test_received_page_query_count_does_not_grow(
    years, cast, tree, client, supervisor_of, django_assert_max_num_queries
):
    for n in range(years):
        year = YEAR + n
        with travel(at(year, 3, 1, 10, 0)):
            budget = scenarios.budget_in_force(cast, year=year, carryover_is_estimate=False)
        with travel(at(year, 7, 10, 9, 0)):
            review = review_create(actor=cast.office, budget=budget, period="H1")
            review_save_actuals(actor=cast.office, review=review, actuals=ACTUALS)
            review_file(actor=cast.chair, review=review, note=NOTE)
    client.force_login(supervisor_of(tree["dept_a"]))
    with django_assert_max_num_queries(11):  # + the live execution rates of the unions below: one query
        response = client.get(reverse("execution:received", args=[tree["dept_a"].pk]))
    assert response.content.decode().count("/execution/") >= years
    assert BudgetExecutionReview.objects.count() == years


@pytest.mark.django_db
def test_s3_4_an_approved_adjustment_becomes_the_yardstick_of_a_draft_analysis(cast, review):
    with travel(at(YEAR, 7, 2, 9, 0)):
        review_save_actuals(actor=cast.office, review=review, actuals=ACTUALS)
        adjustment = adjustment_submitted(cast, review.budget)
        audit_meeting(adjustment, cast)
        party_reply(adjustment, cast)
        congress_meeting(adjustment, cast)
        review_save_actuals(actor=cast.office, review=review, actuals={**ACTUALS, "403": Decimal("4000.00")})
    review.refresh_from_db()
    adjustment.refresh_from_db()
    assert review.version == adjustment.result_version
    lines = {line.account_id: line for line in review.lines.all()}
    assert lines["50102"].budgeted == Decimal("210000.00") and lines["403"].actual == Decimal("4000.00")
    assert lines["50102"].actual == ACTUALS["50102"]


@pytest.mark.django_db
@pytest.mark.parametrize("years", [1, 3])
def test_execution_list_query_count_does_not_grow(years, cast, client, django_assert_max_num_queries):
    for n in range(years):
        with travel(at(YEAR + n, 3, 1, 10, 0)):
            budget = scenarios.budget_in_force(cast, year=YEAR + n, carryover_is_estimate=False)
            for period in ("H1", "H2"):
                review_create(actor=cast.office, budget=budget, period=period)
    client.force_login(cast.office)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("execution:list", args=[cast.union.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("/execution/") >= 2 * years
