"""Expenditure approval against the budget (S3.1, S5.3): the route by amount, the holders' decisions,
the ledger of the line, payment, and the refusals."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Event, UnionKind
from tests.factories import make_union
from tests.scenarios import committee_meeting, open_item
from workflows.expenditure import selectors
from workflows.expenditure.models import ExpenditureRule, ExpenditureStatus, LedgerLine, Route
from workflows.expenditure.selectors import Thresholds, route_for, thresholds_for
from workflows.expenditure.services import payment_record, request_submit
from workflows.models import Resolution
from workflows.services.personal import personal_decide

DEFAULTS = Thresholds(chair_limit=D("5000.00"), collective_above=D("50000.00"))


@pytest.mark.parametrize(
    ("amount", "route"),
    [
        ("0.01", Route.CHAIR),
        ("4999.99", Route.CHAIR),
        ("5000.00", Route.CHAIR),
        ("5000.01", Route.COUNTERSIGN),
        ("50000.00", Route.COUNTERSIGN),
        ("50000.01", Route.COLLECTIVE),
    ],
)
def test_s5_3_the_route_follows_the_amount_at_each_threshold_edge(amount, route):
    assert route_for(thresholds=DEFAULTS, amount=D(amount), major=False, requester_is_chair=False) == route


def test_s5_3_a_major_expenditure_and_the_chairs_own_request_go_to_the_union_committee():
    assert route_for(thresholds=DEFAULTS, amount=D("100.00"), major=True, requester_is_chair=False) == (
        Route.COLLECTIVE
    )
    assert route_for(thresholds=DEFAULTS, amount=D("100.00"), major=False, requester_is_chair=True) == (
        Route.COLLECTIVE
    )


@pytest.mark.django_db
def test_s5_3_thresholds_are_data_and_the_nearest_union_wins(tree):
    a1, dept = tree["a1"], tree["dept_a"]
    assert thresholds_for(a1) == DEFAULTS
    ExpenditureRule.objects.create(union=None, chair_limit=D("3000"), collective_above=D("30000"))
    assert thresholds_for(a1).chair_limit == D("3000")
    ExpenditureRule.objects.create(union=dept, chair_limit=D("2000"), collective_above=D("20000"))
    assert thresholds_for(a1).chair_limit == D("2000")
    ExpenditureRule.objects.create(union=a1, chair_limit=D("1000"), collective_above=D("10000"))
    assert thresholds_for(a1) == Thresholds(chair_limit=D("1000"), collective_above=D("10000"))
    assert thresholds_for(tree["b1"]).chair_limit == D("3000")  # another department: the default


def _line(cast, account="50101") -> LedgerLine | None:
    return LedgerLine.objects.filter(union=cast.union, year=2026, account_id=account).first()


@pytest.mark.django_db
def test_s3_1_a_small_request_is_checked_approved_committed_and_paid(cast, finance, sent_request):
    request = sent_request("3000.00")
    assert request.route == Route.CHAIR
    assert request.status == ExpenditureStatus.FINANCE_CHECK
    check = open_item(request, "finance_check")
    assert check.assignee_id == finance.pk
    personal_decide(work_item=check, actor=finance, resolution=Resolution.APPROVE)
    approval = open_item(request, "chair_approval")
    assert approval.assignee_id == cast.chair.pk
    assert _line(cast) is None  # nothing committed before the final approval
    personal_decide(work_item=approval, actor=cast.chair, resolution=Resolution.APPROVE)
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.APPROVED
    assert (_line(cast).committed, _line(cast).paid) == (D("3000.00"), D("0"))
    assert selectors.line_figures(cast.union.pk, 2026, "50101").remaining == D("147000.00")
    import datetime

    payment_record(
        actor=finance,
        request=request,
        paid_on=datetime.date(2026, 12, 5),
        voucher_number="记-12-031",
        method="transfer",
    )
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.PAID
    assert (_line(cast).committed, _line(cast).paid) == (D("0.00"), D("3000.00"))
    assert Event.objects.filter(verb="paid", subject_id=str(request.pk)).exists()


@pytest.mark.django_db
def test_s5_3_a_middle_request_needs_a_countersigning_committee_member(cast, finance, new_request):
    request = new_request("12000.00")
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=request)
    assert "会签" in " ".join(refused.value.messages) or "countersign" in " ".join(refused.value.messages)
    request.countersigner = cast.committee_members[0]
    request.save(update_fields=["countersigner"])
    request_submit(actor=cast.office, request=request)
    assert request.route == Route.COUNTERSIGN
    personal_decide(
        work_item=open_item(request, "finance_check"), actor=finance, resolution=Resolution.APPROVE
    )
    personal_decide(
        work_item=open_item(request, "chair_approval"), actor=cast.chair, resolution=Resolution.APPROVE
    )
    sign = open_item(request, "countersign")
    assert sign.assignee_id == cast.committee_members[0].pk
    personal_decide(work_item=sign, actor=cast.committee_members[0], resolution=Resolution.APPROVE)
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.APPROVED
    assert _line(cast).committed == D("12000.00")


@pytest.mark.django_db
def test_s5_3_a_large_request_is_decided_by_the_union_committee_at_a_meeting(cast, finance, sent_request):
    request = sent_request("60000.00", account="50102")
    assert request.route == Route.COLLECTIVE
    personal_decide(
        work_item=open_item(request, "finance_check"), actor=finance, resolution=Resolution.APPROVE
    )
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.COMMITTEE_APPROVAL
    committee_meeting(request, cast)
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.APPROVED
    assert _line(cast, "50102").committed == D("60000.00")


@pytest.mark.django_db
def test_s5_3_nobody_approves_their_own_request(cast, finance, new_request):
    by_chair = new_request("100.00", actor=cast.chair)
    request_submit(actor=cast.chair, request=by_chair)
    assert by_chair.route == Route.COLLECTIVE  # the chair's own request: the committee decides
    by_finance = new_request("100.00", actor=finance)
    request_submit(actor=finance, request=by_finance)
    check = open_item(by_finance, "finance_check")
    assert check.assignee_id == cast.chair.pk  # no other finance officer: the chair checks
    with pytest.raises(PermissionDenied):
        personal_decide(work_item=check, actor=finance, resolution=Resolution.APPROVE)


@pytest.mark.django_db
def test_a_return_goes_back_to_the_requester_with_the_opinion_and_the_route_runs_again(
    cast, finance, sent_request
):
    request = sent_request("3000.00")
    with pytest.raises(ValidationError):
        personal_decide(
            work_item=open_item(request, "finance_check"), actor=finance, resolution=Resolution.RETURN
        )
    personal_decide(
        work_item=open_item(request, "finance_check"),
        actor=finance,
        resolution=Resolution.RETURN,
        opinions="缺发票",
    )
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.RETURNED
    assert open_item(request, "revise").note == "缺发票"
    request_submit(actor=cast.office, request=request)
    assert open_item(request, "finance_check").assignee_id == finance.pk


@pytest.mark.django_db
def test_s3_1_a_request_above_what_remains_is_refused_at_submit_with_the_figures(cast, new_request):
    request = new_request("60000.01", account="50502")  # the line holds 60,000.00
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=request)
    text = " ".join(refused.value.messages)
    assert "60,000.01" in text and "60,000.00" in text
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.DRAFT


@pytest.mark.django_db
def test_s3_1_off_budget_and_no_budget_are_refused(cast, tree, new_request, finance):
    off_line = new_request("10.00", account="50103")  # not a line of the budget in force
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=off_line)
    assert "50103" in " ".join(refused.value.messages)
    from core.models import Role
    from tests.factories import seated
    from workflows.expenditure.services import request_create

    other = make_union(UnionKind.GROUP, tree["a1"])
    officer = seated(other, Role.OFFICE_STAFF)
    without = request_create(
        actor=officer,
        union=other,
        account_id="50101",
        amount=D("10"),
        purpose="x",
        activity_date="2026-12-20",
    )
    with pytest.raises(ValidationError):
        request_submit(actor=officer, request=without)


def _both_before_the_chair(cast, finance, sent_request):
    """Two requests on line 50502 (¥60,000) that each fit when sent, both checked: 40,000 and 30,000
    (the union lets its chair approve them alone)."""
    ExpenditureRule.objects.create(union=cast.union, chair_limit=D("100000"), collective_above=D("100000"))
    first, second = sent_request("40000.00", account="50502"), sent_request("30000.00", account="50502")
    for request in (first, second):
        personal_decide(
            work_item=open_item(request, "finance_check"), actor=finance, resolution=Resolution.APPROVE
        )
    return first, second


@pytest.mark.django_db
def test_s3_1_the_final_approval_checks_the_line_again_and_refuses_an_overdraft(cast, finance, sent_request):
    first, second = _both_before_the_chair(cast, finance, sent_request)
    personal_decide(
        work_item=open_item(first, "chair_approval"), actor=cast.chair, resolution=Resolution.APPROVE
    )
    with pytest.raises(ValidationError) as refused:
        personal_decide(
            work_item=open_item(second, "chair_approval"), actor=cast.chair, resolution=Resolution.APPROVE
        )
    assert "20,000.00" in " ".join(refused.value.messages)  # what remains, told with the figures
    second.refresh_from_db()
    assert second.status == ExpenditureStatus.CHAIR_APPROVAL  # the step rolled back: still to decide
    assert _line(cast, "50502").committed == D("40000.00")


@pytest.mark.django_db(transaction=True)
def test_s3_1_two_approvals_racing_for_the_last_yuan_one_passes_the_other_is_told_why(
    tree, cast, finance, sent_request
):
    from django.urls import reverse

    from tests.workflows.test_concurrent_complete import race

    first, second = _both_before_the_chair(cast, finance, sent_request)
    responses = race(
        [
            (
                cast.chair,
                reverse("workflows:personal_decision", args=[open_item(r, "chair_approval").pk]),
                {"resolution": "approve", "opinions": ""},
            )
            for r in (first, second)
        ]
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 400], codes
    refused_page = next(r for r in responses if r.status_code == 400).content.decode()
    assert "20,000.00" in refused_page or "30,000.00" in refused_page
    assert _line(cast, "50502").committed in (D("40000.00"), D("30000.00"))
    assert Event.objects.filter(verb="action_refused", union=cast.union).count() == 1


@pytest.mark.django_db
def test_a_voucher_number_is_used_once_a_year_and_only_an_approved_request_is_paid(
    cast, finance, sent_request
):
    import datetime

    paid, other = sent_request("100.00"), sent_request("200.00")
    with pytest.raises(ValidationError):
        payment_record(
            actor=finance,
            request=other,
            paid_on=datetime.date(2026, 12, 1),
            voucher_number="V1",
            method="cash",
        )
    for request in (paid, other):
        personal_decide(
            work_item=open_item(request, "finance_check"), actor=finance, resolution=Resolution.APPROVE
        )
        personal_decide(
            work_item=open_item(request, "chair_approval"), actor=cast.chair, resolution=Resolution.APPROVE
        )
    with pytest.raises(PermissionDenied):
        payment_record(
            actor=cast.chair,
            request=paid,
            paid_on=datetime.date(2026, 12, 1),
            voucher_number="V1",
            method="cash",
        )
    payment_record(
        actor=finance, request=paid, paid_on=datetime.date(2026, 12, 1), voucher_number="V1", method="cash"
    )
    with pytest.raises(ValidationError) as refused:
        payment_record(
            actor=finance,
            request=other,
            paid_on=datetime.date(2026, 12, 1),
            voucher_number="V1",
            method="cash",
        )
    assert "V1" in " ".join(refused.value.messages)
    assert _line(cast).paid == D("100.00") and _line(cast).committed == D("200.00")


@pytest.mark.django_db
def test_s3_4_while_the_adjustment_window_is_open_a_refusal_points_to_a_budget_adjustment(cast, new_request):
    import time_machine

    from tests.scenarios import at

    with time_machine.travel(at(2026, 6, 1, 10, 0), tick=True):
        request = new_request("60000.01", account="50502", activity_date="2026-06-10")
        with pytest.raises(ValidationError) as refused:
            request_submit(actor=cast.office, request=request)
    assert "预算调整" in " ".join(refused.value.messages)
    late = new_request("60000.01", account="50502")  # 6 December: the window closed on 30 September
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=late)
    assert "预算调整" not in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_s5_3_one_committee_meeting_decides_several_requests_on_its_agenda(
    cast, finance, sent_request, agreed_instruction
):
    from django.utils import timezone

    from tests.factories import body_of
    from workflows.services.decisions import AgendaVote, meeting_record

    first = sent_request("60000.00", account="50102")
    second = sent_request("100.00", major=True, instruction=agreed_instruction())  # S1.3
    for request in (first, second):
        personal_decide(
            work_item=open_item(request, "finance_check"), actor=finance, resolution=Resolution.APPROVE
        )
    members = cast.committee
    meeting_record(
        body=body_of(cast.union, "union_committee"),
        recorder=cast.chair,
        held_on=timezone.localdate(),
        place="会议室",
        attendee_ids=[p.pk for p in members],
        votes=[
            AgendaVote(open_item(first, "committee_approval").pk, Resolution.APPROVE, votes_for=len(members)),
            AgendaVote(
                open_item(second, "committee_approval").pk,
                Resolution.RETURN,
                votes_for=0,
                votes_against=len(members),
                opinions="不属于重大支出，按金额审批",
            ),
        ],
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ExpenditureStatus.APPROVED and second.status == ExpenditureStatus.RETURNED
    assert _line(cast, "50102").committed == D("60000.00")


@pytest.mark.django_db
def test_s5_3_where_the_rules_say_so_a_vice_chair_approves_the_chairs_own_request(cast, finance, new_request):
    from core.models import Role
    from tests.factories import seated

    vice = seated(cast.union, Role.VICE_CHAIR, "union_committee", username="a1-vice")
    ExpenditureRule.objects.create(union=cast.union, chairs_request_to_vice_chair=True)
    request = new_request("3000.00", actor=cast.chair)
    request_submit(actor=cast.chair, request=request)
    assert request.route == Route.CHAIR
    personal_decide(
        work_item=open_item(request, "finance_check"), actor=finance, resolution=Resolution.APPROVE
    )
    approval = open_item(request, "chair_approval")
    assert approval.assignee_id == vice.pk
    with pytest.raises(PermissionDenied):
        personal_decide(work_item=approval, actor=cast.chair, resolution=Resolution.APPROVE)
    personal_decide(work_item=approval, actor=vice, resolution=Resolution.APPROVE)
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.APPROVED
    countersigned = new_request("12000.00", actor=cast.chair, countersigner=vice)
    with pytest.raises(ValidationError):  # the vice chair approves it: someone else countersigns
        request_submit(actor=cast.chair, request=countersigned)


@pytest.mark.django_db
def test_s5_3_the_rules_may_add_the_party_organisation_after_the_committee(cast, finance, sent_request):
    from tests.scenarios import party_reply

    ExpenditureRule.objects.create(union=cast.union, party_above=D("80000.00"))
    small = sent_request("60000.00", account="50102")  # collective, not above the Party's threshold
    large = sent_request("90000.00", account="50102")
    assert not small.with_party and large.with_party
    personal_decide(work_item=open_item(large, "finance_check"), actor=finance, resolution=Resolution.APPROVE)
    committee_meeting(large, cast)
    large.refresh_from_db()
    assert large.status == ExpenditureStatus.PARTY_APPROVAL
    assert _line(cast, "50102") is None  # nothing committed before the last approval
    party_reply(large, cast, number="机党〔2026〕21号")
    large.refresh_from_db()
    assert large.status == ExpenditureStatus.APPROVED
    assert _line(cast, "50102").committed == D("90000.00")


@pytest.mark.django_db
def test_only_the_requester_and_the_unions_officers_attach_to_a_request(
    cast, tree, sent_request, supervisor_of
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workflows.expenditure.services import attachment_add
    from workflows.models import Attachment

    request = sent_request("3000.00")
    invoice = SimpleUploadedFile("发票.pdf", b"%PDF-1.4 invoice", content_type="application/pdf")
    with pytest.raises(PermissionDenied):
        attachment_add(actor=supervisor_of(tree["dept_a"]), request=request, upload=invoice)
    assert not Attachment.objects.exists()
    attachment_add(actor=cast.office, request=request, upload=invoice, note="增值税发票")
    assert Attachment.objects.get().document_id == request.pk
    assert Event.objects.filter(verb="attachment_added", subject_id=str(request.pk)).exists()
