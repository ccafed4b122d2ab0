"""Budget pages through HTTP: create, edit lines (bad input kept), submit, document page, export, scope."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Event
from workflows.budget.models import Budget, BudgetLine, BudgetStatus
from workflows.models import Attachment, OpinionRequest, WorkItem


def lines_post(**amounts):
    data = {"carryover": "20,000.00", "carryover_is_estimate": "on", "note": "按上年决算估计"}
    for code, amount in amounts.items():
        data[f"amount_{code.lstrip('a')}"] = amount
    return data


@pytest.mark.django_db
def test_drafter_starts_a_budget_and_enters_lines(cast, client):
    client.force_login(cast.office)
    response = client.post(
        reverse("budget:new", args=[cast.union.pk]),
        {"year": 2027, "carryover": "２０，０００", "carryover_is_estimate": "on"},
    )
    budget = Budget.objects.get(union=cast.union, year=2027)
    assert response.status_code == 302 and response["Location"] == reverse("budget:edit", args=[budget.pk])
    assert budget.current_version.carryover == Decimal("20000.00")
    response = client.post(
        reverse("budget:edit", args=[budget.pk]),
        lines_post(a401="120000", a402="300,000.00", a50101="150000"),
    )
    assert response.status_code == 302
    assert sorted(
        BudgetLine.objects.filter(version=budget.current_version).values_list("account_id", "amount")
    ) == [
        ("401", Decimal("120000.00")),
        ("402", Decimal("300000.00")),
        ("50101", Decimal("150000.00")),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad, message",
    [
        ("-5", "金额不能为负数"),
        ("12.345", "金额最多保留两位小数"),
        ("1000000000000", "金额必须小于"),
        ("一万", "不是以元为单位的金额"),
    ],
)
def test_bad_amounts_are_refused_and_everything_typed_is_kept(bad, message, cast, draft_budget, client):
    budget = draft_budget()
    client.force_login(cast.office)
    response = client.post(
        reverse("budget:edit", args=[budget.pk]), lines_post(a401="130000", a50101=bad, a50502="<b>x</b>")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="130000"' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    # nothing saved: the old lines stay
    assert BudgetLine.objects.filter(
        version=budget.current_version, account_id="401"
    ).get().amount == Decimal("120000")


@pytest.mark.django_db
def test_full_width_digits_are_accepted(cast, draft_budget, client):
    budget = draft_budget()
    client.force_login(cast.office)
    response = client.post(reverse("budget:edit", args=[budget.pk]), lines_post(a401="１２３４５．６７"))
    assert response.status_code == 302
    assert budget.current_version.lines.get(account_id="401").amount == Decimal("12345.67")


@pytest.mark.django_db
def test_s3_2_submit_page_names_the_figures_and_refuses(cast, draft_budget, client):
    """S3.2 through HTTP: the page says which figures break the rule; a forged POST changes nothing."""
    from workflows.budget.services import LineInput

    budget = draft_budget(lines=[LineInput("401", Decimal("100000")), LineInput("50101", Decimal("130000"))])
    client.force_login(cast.office)
    page = client.get(reverse("budget:submit", args=[budget.pk])).content.decode()
    assert "超出收入合计" in page and "130,000.00" in page and "10,000.00" in page
    response = client.post(
        reverse("budget:submit", args=[budget.pk]),
        {"recipients": [f"r{cast.representatives[0].pk}"], "due_date": "2099-01-01"},
    )
    assert response.status_code == 400
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.DRAFT
    assert not OpinionRequest.objects.exists()


@pytest.mark.django_db
def test_submit_sends_opinions_to_chosen_recipients(cast, draft_budget, client):
    budget = draft_budget()
    client.force_login(cast.office)
    page = client.get(reverse("budget:submit", args=[budget.pk])).content.decode()
    assert cast.group.name in page and str(cast.representatives[0]) in page
    response = client.post(
        reverse("budget:submit", args=[budget.pk]),
        {
            "recipients": [f"u{cast.group.pk}-{cast.group_leader.pk}", f"r{cast.representatives[0].pk}"],
            "due_date": "2099-01-01",
        },
    )
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.SOLICITING
    assert set(OpinionRequest.objects.values_list("recipient__username", flat=True)) == {
        "a1g-leader",
        "a1-rep0",
    }
    assert OpinionRequest.objects.get(recipient=cast.group_leader).on_behalf_of == cast.group


@pytest.mark.django_db
def test_submit_without_recipients_keeps_the_due_date(cast, draft_budget, client):
    budget = draft_budget()
    client.force_login(cast.office)
    response = client.post(reverse("budget:submit", args=[budget.pk]), {"due_date": "2099-03-04"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请至少选择一个征求意见对象" in html
    assert 'value="2099-03-04"' in html


@pytest.mark.django_db
def test_document_page_shows_chain_who_acts_history_and_export(cast, submitted_budget, client):
    budget = submitted_budget()
    client.force_login(cast.chair)
    response = client.get(reverse("budget:detail", args=[budget.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="current-step"' in html
    assert str(cast.group_leader) in html  # who must act
    assert "120,000.00" in html and "420,000.00" in html  # a line and the total income
    export = client.get(reverse("budget:export", args=[budget.pk]))
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "科目编码" in values and 120000 in values


@pytest.mark.django_db
def test_outsider_gets_404_on_every_budget_page_and_nothing_changes(cast, submitted_budget, client):
    budget = submitted_budget()
    client.force_login(cast.outsider)
    for name in ("budget:detail", "budget:edit", "budget:submit", "budget:export"):
        assert client.get(reverse(name, args=[budget.pk])).status_code == 404, name
    assert client.post(reverse("budget:withdraw", args=[budget.pk])).status_code == 404
    assert client.post(reverse("budget:edit", args=[budget.pk]), lines_post(a401="1")).status_code == 404
    assert client.get(reverse("budget:list", args=[cast.union.pk])).status_code == 404
    assert client.get(reverse("budget:new", args=[cast.union.pk])).status_code == 404
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.SOLICITING
    assert Event.objects.filter(verb="access_denied", actor=cast.outsider).count() >= 8


@pytest.mark.django_db
def test_supervisor_reads_but_cannot_draft_or_edit(tree, cast, submitted_budget, supervisor_of, client):
    budget = submitted_budget()
    client.force_login(supervisor_of(tree["dept_a"]))
    assert client.get(reverse("budget:detail", args=[budget.pk])).status_code == 200
    assert client.get(reverse("budget:list", args=[cast.union.pk])).status_code == 200
    assert client.get(reverse("budget:new", args=[cast.union.pk])).status_code == 403
    assert client.get(reverse("budget:edit", args=[budget.pk])).status_code == 403
    assert client.post(reverse("budget:withdraw", args=[budget.pk])).status_code == 403


@pytest.mark.django_db
def test_participant_sees_only_what_is_before_them(cast, submitted_budget, client):
    budget = submitted_budget()
    # rep0 was asked for an opinion: sees it read-only; rep3 was not and the congress has not had it yet
    client.force_login(cast.representatives[0])
    page = client.get(reverse("budget:detail", args=[budget.pk]))
    assert page.status_code == 200 and 'data-testid="edit"' not in page.content.decode()
    client.force_login(cast.representatives[3])
    assert client.get(reverse("budget:detail", args=[budget.pk])).status_code == 404
    listing = client.get(reverse("budget:list", args=[cast.union.pk])).content.decode()
    assert budget.title not in listing


@pytest.mark.django_db
def test_attachment_of_a_forbidden_type_is_refused(cast, draft_budget, client):
    budget = draft_budget()
    client.force_login(cast.office)
    bad = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(reverse("budget:attach", args=[budget.pk]), {"file": bad}, follow=True)
    assert "不接受" in response.content.decode()
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("说明.pdf", b"%PDF-1.4", content_type="application/pdf")
    client.post(reverse("budget:attach", args=[budget.pk]), {"file": good, "note": "编制说明"})
    assert Attachment.objects.get().name == "说明.pdf"


@pytest.mark.django_db
def test_second_budget_for_the_year_refused_with_message_and_input_kept(cast, draft_budget, client):
    draft_budget(year=2027)
    client.force_login(cast.office)
    response = client.post(reverse("budget:new", args=[cast.union.pk]), {"year": 2027, "carryover": "5000"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "2027" in html and "不予受理" in html
    assert 'value="5000"' in html
    assert WorkItem.objects.filter(document_type="budget").count() == 1
