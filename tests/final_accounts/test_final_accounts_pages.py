"""Final accounts pages (S3.5): start, actual amounts by form and by .xlsx (bad rows reported by row and
column, nothing saved), template download, audit report, the finance report page, access per person."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.models import Event
from tests.factories import ACTUALS, audit_report_file
from tests.scenarios import audit_meeting, budget_before_congress, budget_in_force
from workflows.budget.actuals import HEADERS
from workflows.final_accounts.models import FinalAccounts, FinalAccountsStatus, FinalAccountsVersion
from workflows.final_accounts.services import final_accounts_create, final_accounts_submit
from workflows.reports.models import CongressReport, ReportKind

D = Decimal


@pytest.fixture(autouse=True)
def _english(settings, client):
    """Pages in English (the language cookie), so that tests assert on the msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile("决算.xlsx", out.getvalue())


def _post_actuals(actuals: dict[str, object], **extra) -> dict:
    data = {f"actual_{code}": str(value) for code, value in actuals.items()}
    data.update({"carryover": "20000.00", "note": "", **extra})
    return data


@pytest.mark.django_db
def test_start_enter_and_submit_through_the_pages(cast, client):
    budget_in_force(cast, year=2026)
    client.force_login(cast.office)
    new = reverse("final_accounts:new", args=[cast.union.pk])
    page = client.get(new)
    assert page.status_code == 200 and '<option value="2026"' in page.content.decode()
    response = client.post(new, {"year": "2026", "note": ""})
    fa = FinalAccounts.objects.get(union=cast.union, year=2026)
    assert response.status_code == 302 and response.url == reverse("final_accounts:edit", args=[fa.pk])
    edit = reverse("final_accounts:edit", args=[fa.pk])
    # a bad figure: 400, the message on its line, everything typed kept, nothing saved
    bad = _post_actuals({**ACTUALS, "50102": "十九万"}, save="")
    response = client.post(edit, bad)
    body = response.content.decode()
    assert response.status_code == 400
    assert "“十九万” is not an amount in yuan" in body
    assert 'value="十九万"' in body and 'value="118000.00"' in body
    assert not fa.current_version.lines.exclude(actual=None).exists()
    # the right figures, saved and submitted to the fund audit committee
    response = client.post(edit, _post_actuals({**ACTUALS, "401": "１１８，０００"}, save_and_submit=""))
    assert response.status_code == 302
    fa.refresh_from_db()
    assert fa.status == FinalAccountsStatus.AUDIT_REVIEW
    detail = client.get(reverse("final_accounts:detail", args=[fa.pk])).content.decode()
    assert "45,000.00" in detail  # closing balance
    assert 'data-testid="audit-report-missing"' in detail


@pytest.mark.django_db
def test_xlsx_import_with_bad_rows_reports_each_by_row_and_column_and_saves_nothing(cast, client):
    budget_in_force(cast, year=2026)
    fa = final_accounts_create(actor=cast.office, union=cast.union, year=2026)
    client.force_login(cast.office)
    events_before = Event.objects.filter(subject_id=str(fa.pk), verb="actuals_saved").count()
    upload = _xlsx(
        [
            list(HEADERS),
            ["401", "", "", 120000, 118000],
            ["402", "", "", 300000, "三十万"],
            ["999", "", "", 0, 1],
            ["50101", "", "", 150000, -1],
            ["50102", "", "", 200000, 195000.123],
        ]
    )
    response = client.post(reverse("final_accounts:edit", args=[fa.pk]), {"upload": "", "file": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported." in body
    for expected in (
        "Row 3, column E: “三十万” is not an amount in yuan",
        "Row 4, column A: account code 999 is not on the 2021 chart of accounts.",
        "Row 5, column E: Amounts may not be negative.",
        "Row 6, column E: Amounts have at most two decimals (fen).",
        "Account 50502 会议支出 of the budget has no row in the file",
    ):
        assert expected in body, expected
    assert not fa.current_version.lines.exclude(actual=None).exists()
    assert Event.objects.filter(subject_id=str(fa.pk), verb="actuals_saved").count() == events_before
    # a file that is not a workbook
    junk = SimpleUploadedFile("决算.xlsx", b"not a zip")
    response = client.post(reverse("final_accounts:edit", args=[fa.pk]), {"upload": "", "file": junk})
    assert response.status_code == 400 and "is not an .xlsx workbook" in response.content.decode()


@pytest.mark.django_db
def test_downloaded_template_filled_in_imports_every_line(cast, client):
    budget_in_force(cast, year=2026)
    fa = final_accounts_create(actor=cast.office, union=cast.union, year=2026)
    client.force_login(cast.office)
    response = client.get(reverse("final_accounts:template", args=[fa.pk]))
    assert response.status_code == 200
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    ws = wb.active
    for row in ws.iter_rows(min_row=4):
        row[4].value = float(ACTUALS[row[0].value])
    out = BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("filled.xlsx", out.getvalue())
    response = client.post(reverse("final_accounts:edit", args=[fa.pk]), {"upload": "", "file": upload})
    assert response.status_code == 302
    fa.refresh_from_db()
    assert dict(fa.current_version.lines.values_list("account_id", "actual")) == ACTUALS
    assert Event.objects.filter(subject_id=str(fa.pk), verb="actuals_saved").last().detail["source"] == "xlsx"


@pytest.mark.django_db
def test_audit_report_upload_page_is_for_the_audit_committee_at_its_step(cast, client, fa_draft):
    fa = fa_draft()
    url = reverse("final_accounts:audit_report", args=[fa.pk])
    client.force_login(cast.audit_director)
    assert client.post(url, {"file": audit_report_file()}).status_code == 403  # still at the draft
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    client.force_login(cast.chair)
    assert client.post(url, {"file": audit_report_file()}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url, {"file": audit_report_file()}).status_code == 404
    client.force_login(cast.audit_director)
    detail = client.get(reverse("final_accounts:detail", args=[fa.pk])).content.decode()
    assert 'data-testid="attach-audit-report"' in detail
    assert client.post(url, {"file": audit_report_file()}).status_code == 302
    detail = client.get(reverse("final_accounts:detail", args=[fa.pk])).content.decode()
    assert "审查报告.pdf" in detail


@pytest.mark.django_db
def test_outsider_sees_nothing_and_others_may_not_act(cast, tree, client, supervisor_of, fa_draft):
    fa = fa_draft()
    pages = [
        ("get", reverse("final_accounts:list", args=[cast.union.pk])),
        ("get", reverse("final_accounts:new", args=[cast.union.pk])),
        ("get", reverse("final_accounts:detail", args=[fa.pk])),
        ("get", reverse("final_accounts:edit", args=[fa.pk])),
        ("get", reverse("final_accounts:template", args=[fa.pk])),
        ("post", reverse("final_accounts:submit", args=[fa.pk])),
        ("post", reverse("final_accounts:withdraw", args=[fa.pk])),
        ("get", reverse("reports:finance_report_new", args=[cast.union.pk])),
    ]
    for user in (cast.outsider, supervisor_of(tree["dept_b"])):
        client.force_login(user)
        for method, url in pages:
            assert getattr(client, method)(url).status_code == 404, (user.username, url)
    fa.refresh_from_db()
    assert fa.status == FinalAccountsStatus.DRAFT
    # the supervisor above reads; the chair reads but neither edits, submits nor starts one
    for user in (supervisor_of(tree["dept_a"]), cast.chair):
        client.force_login(user)
        assert client.get(reverse("final_accounts:detail", args=[fa.pk])).status_code == 200
        assert client.get(reverse("final_accounts:edit", args=[fa.pk])).status_code == 403
        assert client.post(reverse("final_accounts:submit", args=[fa.pk])).status_code == 403
    client.force_login(supervisor_of(tree["dept_a"]))
    assert client.get(reverse("final_accounts:new", args=[cast.union.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 8])
def test_list_query_count_does_not_grow(count, cast, client, django_assert_max_num_queries):
    budget = budget_in_force(cast, year=2026)
    for n in range(count):
        fa = FinalAccounts.objects.create(
            union=cast.union,
            year=2000 + n,
            title=f"决算{n}",
            budget=budget,
            budget_version=budget.current_version,
            drafter=cast.office,
        )
        fa.current_version = FinalAccountsVersion.objects.create(
            final_accounts=fa, number=1, created_by=cast.office
        )
        fa.save(update_fields=["current_version"])
    client.force_login(cast.office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("final_accounts:list", args=[cast.union.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("/final-accounts/") - 1 >= count  # minus the "new" link


@pytest.mark.django_db
def test_finance_report_page_starts_the_report_or_says_what_is_missing(cast, client, fa_draft):
    fa = fa_draft()
    client.force_login(cast.office)
    url = reverse("reports:finance_report_new", args=[cast.union.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": "2026", "text": ""})
    assert response.status_code == 400
    assert "audited by the fund audit committee" in response.content.decode()
    assert 'value="2026"' in response.content.decode()  # the input is kept
    final_accounts_submit(actor=cast.office, final_accounts=fa)
    audit_meeting(fa, cast)
    budget_before_congress(cast, year=2027)
    response = client.post(url, {"year": "2026", "text": ""})
    report = CongressReport.objects.get(union=cast.union, kind=ReportKind.FINANCE_REPORT, year=2026)
    assert response.status_code == 302 and response.url == reverse("reports:report_detail", args=[report.pk])
    detail = client.get(response.url).content.decode()
    assert 'data-testid="bound-final_accounts"' in detail and 'data-testid="bound-budget"' in detail
    assert reverse("final_accounts:detail", args=[fa.pk]) in detail
    # the audit report is missing: the report says so before it can go to the congress
    assert "audit report on the 2026 final accounts is not attached" in detail
    client.force_login(cast.audit_director)  # may see the union's documents, may not draft
    assert client.post(url, {"year": "2026"}).status_code == 403
