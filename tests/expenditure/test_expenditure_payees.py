"""The real-name list of payees of an expenditure request (issue 26): saved when it adds up to the amount;
a sum that does not, or a payee without a name, refused in Chinese with the input kept and an event; the
bank accounts masked for everyone but the union's finance officer, whose every view of them is recorded."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Event
from tests.pages import content
from workflows.expenditure.models import ExpenditurePayee, ExpenditureRequest, mask_account
from workflows.expenditure.services import payees_cleaned, request_update

pytestmark = pytest.mark.django_db

WANG = "6222 0212 3456 1234"
ZHAO = "6217000010002345678"
WANG_MASKED = "**** **** **** 1234"
ZHAO_MASKED = "**** **** **** 5678"


def _form(rows=(), *, initial=0, **overrides) -> dict:
    """The request form as posted: the request's fields, then the payees' rows (30 empty ones after
    the stored ones, as the page offers them)."""
    data = {
        "account": "50101",
        "amount": "3000.00",
        "purpose": "职工春季健步走活动",
        "activity_date": "2026-12-20",
        "payees-TOTAL_FORMS": str(max(initial, len(rows)) + 30),
        "payees-INITIAL_FORMS": str(initial),
        "payees-MIN_NUM_FORMS": "0",
        "payees-MAX_NUM_FORMS": "200",
    }
    for i, (name, amount, account) in enumerate(rows):
        data.update(
            {f"payees-{i}-name": name, f"payees-{i}-amount": amount, f"payees-{i}-bank_account": account}
        )
    data.update(overrides)
    return data


def _refusals(cast):
    return Event.objects.filter(
        verb="action_refused", union=cast.union, detail__reason="expenditure request refused"
    )


@pytest.fixture
def with_payees(new_request):
    """A draft of ¥3,000 paid to two people, 王芳 ¥1,800 and 赵强 ¥1,200."""
    return new_request("3000.00", payees=[("王芳", D("1800.00"), WANG), ("赵强", D("1200.00"), ZHAO)])


def test_a_payee_list_adding_up_to_the_amount_is_saved_in_order(cast, login, budget_in_force, finance):
    client = login(cast.office)
    rows = [("王芳", "1800", "６２２２ 0212 3456 1234"), ("", "", ""), ("赵强", "1,200.00", ZHAO)]
    response = client.post(reverse("expenditure:new", args=[cast.union.pk]), _form(rows))
    created = ExpenditureRequest.objects.get()
    assert response.status_code == 302 and created.pays_individuals
    saved = list(created.payees.values_list("position", "name", "amount", "bank_account"))
    # the empty row between them is no payee; full-width digits are kept as ordinary ones
    assert saved == [(1, "王芳", D("1800.00"), WANG), (2, "赵强", D("1200.00"), ZHAO)]
    assert not _refusals(cast).exists()


def test_a_request_without_payees_pays_no_individuals(cast, login, budget_in_force, finance):
    client = login(cast.office)
    client.post(reverse("expenditure:new", args=[cast.union.pk]), _form())
    created = ExpenditureRequest.objects.get()
    assert not created.pays_individuals
    assert 'data-testid="payees"' not in content(client.get(reverse("expenditure:detail", args=[created.pk])))


@pytest.mark.parametrize(
    ("rows", "told"),
    [
        # the sum against the amount, both figures named
        (
            [("王芳", "1800", WANG), ("赵强", "200", ZHAO)],
            "收款人金额合计 2,000.00 元，申请金额为 3,000.00 元",
        ),
        ([("王芳", "1800", WANG), ("", "1200", ZHAO)], "第2位收款人未填写姓名"),
        ([("王芳", "3000", "6222-0212-3456-1234")], "第1位收款人：银行账号只能由数字和空格组成"),
    ],
)
def test_a_bad_payee_list_is_refused_in_chinese_with_the_input_kept_and_an_event(
    cast, login, budget_in_force, finance, rows, told
):
    client = login(cast.office)
    response = client.post(reverse("expenditure:new", args=[cast.union.pk]), _form(rows))
    page = content(response)
    assert response.status_code == 200
    assert told in page, page[page.find("problems") : page.find("problems") + 400]
    assert "职工春季健步走活动" in page  # the request as typed
    for name, amount, account in rows:
        assert f'value="{amount}"' in page and f'value="{account}"' in page  # the rows as typed
        if name:
            assert f'value="{name}"' in page
    assert not ExpenditureRequest.objects.exists() and not ExpenditurePayee.objects.exists()
    (event,) = _refusals(cast)
    assert event.actor_id == cast.office.pk and told in event.detail["message"]


def test_a_payee_row_with_a_bad_amount_is_refused_as_typed_with_an_event(
    cast, login, budget_in_force, finance
):
    client = login(cast.office)
    response = client.post(reverse("expenditure:new", args=[cast.union.pk]), _form([("王芳", "abc", WANG)]))
    page = content(response)
    assert "请更正" in page and 'value="abc"' in page and 'value="王芳"' in page
    assert not ExpenditureRequest.objects.exists()
    assert _refusals(cast).count() == 1


def test_the_service_refuses_what_the_form_cannot_stop():
    """The API shares the service's check: amounts of a third decimal, zero, and an empty name."""
    with pytest.raises(ValidationError) as refused:
        payees_cleaned([("  ", D("1.005"), ""), ("李", D("0"), "")], D("1.01"))
    assert [str(m) for m in refused.value.messages] == [
        "第1位收款人未填写姓名：发放给个人的款项须填写实名。",
        "第1位收款人：金额最多保留两位小数（到分）。",
        "第2位收款人：金额必须大于零。",
    ]
    assert payees_cleaned([(" 李 ", D("1.01"), " 6222 0212 ")], D("1.01")) == [("李", D("1.01"), "6222 0212")]


def test_the_account_is_masked_for_the_requester_the_chair_and_a_supervisor_above(
    cast, login, tree, supervisor_of, with_payees
):
    url = reverse("expenditure:detail", args=[with_payees.pk])
    for viewer in (cast.office, cast.chair, supervisor_of(tree["dept_a"])):
        page = content(login(viewer).get(url))
        assert 'data-testid="payees"' in page, viewer
        assert "王芳" in page and "1,800.00" in page and "赵强" in page
        assert WANG_MASKED in page and ZHAO_MASKED in page
        assert "0212" not in page and "6217" not in page and "仅本工会财务人员可查看完整账号" in page
    assert not Event.objects.filter(verb="payee_accounts_viewed").exists()


def test_the_finance_officer_sees_the_accounts_in_full_and_each_view_is_recorded(
    cast, login, finance, with_payees
):
    client = login(finance)
    url = reverse("expenditure:detail", args=[with_payees.pk])
    for _view in range(2):
        page = content(client.get(url))
        assert WANG in page and ZHAO in page and "每次查看均会留痕" in page
    views = Event.objects.filter(verb="payee_accounts_viewed", union=cast.union)
    assert views.count() == 2
    for event in views:
        assert (event.actor_id, event.subject_id, event.detail) == (
            finance.pk,
            str(with_payees.pk),
            {"count": 2},
        )
        assert "1234" not in json.dumps(event.detail)  # never the numbers


def test_an_outsider_gets_404_on_the_request_page(cast, login, with_payees):
    assert login(cast.outsider).get(reverse("expenditure:detail", args=[with_payees.pk])).status_code == 404
    assert not Event.objects.filter(verb="payee_accounts_viewed").exists()


def test_on_edit_the_accounts_show_masked_and_a_masked_one_left_as_is_keeps_the_stored_account(
    cast, login, with_payees
):
    client = login(cast.office)
    url = reverse("expenditure:edit", args=[with_payees.pk])
    page = content(client.get(url))
    assert f'value="{WANG_MASKED}"' in page and f'value="{ZHAO_MASKED}"' in page
    assert "0212" not in page and "6217" not in page
    # 王芳's account left masked, 赵强's replaced, a third payee added, the amount raised to match
    rows = [("王芳", "1800.00", WANG_MASKED), ("赵强", "1200.00", "6228 4800 0000 9999"), ("孙丽", "500", "")]
    response = client.post(url, _form(rows, initial=2, amount="3500.00"))
    assert response.status_code == 302, content(response)
    assert list(with_payees.payees.values_list("name", "bank_account")) == [
        ("王芳", WANG),
        ("赵强", "6228 4800 0000 9999"),
        ("孙丽", ""),
    ]


def test_on_edit_a_masked_account_moved_to_another_row_is_refused_not_stored(cast, login, with_payees):
    client = login(cast.office)
    url = reverse("expenditure:edit", args=[with_payees.pk])
    # 王芳's masked account typed on 赵强's row: it is no account, and nothing masked is ever stored
    rows = [("王芳", "1800.00", WANG_MASKED), ("赵强", "1200.00", WANG_MASKED)]
    page = content(client.post(url, _form(rows, initial=2)))
    assert "第2位收款人：银行账号只能由数字和空格组成" in page
    assert f'value="{WANG_MASKED}"' in page and "0212" not in page
    assert list(with_payees.payees.values_list("bank_account", flat=True)) == [WANG, ZHAO]
    assert _refusals(cast).count() == 1


def test_changing_the_amount_alone_must_keep_the_stored_list_adding_up(cast, with_payees):
    with pytest.raises(ValidationError) as refused:
        request_update(actor=cast.office, request=with_payees, amount=D("3100.00"))
    assert "收款人金额合计 3,000.00 元，申请金额为 3,100.00 元" in refused.value.messages[0]
    with_payees.refresh_from_db()
    assert with_payees.amount == D("3000.00") and with_payees.payees.count() == 2


def test_the_mask_shows_only_the_last_four_digits():
    assert mask_account("6222 0212 3456 1234") == "**** **** **** 1234"
    assert mask_account("621700001000234") == "**** **** **** 0234"
    assert mask_account("") == ""
