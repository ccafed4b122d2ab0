"""Demo: expenditure requests at every step (S3.1, S5.3), through the real services.

On the first demo union with a budget in force this year: one paid, one before the chair (late), one
awaiting a countersignature, one major expenditure before the union committee (started on a request for
instructions the Party organisation agreed, S1.3), one returned by the
finance officer with the reason, and the smallest line nearly exhausted by a payment, with a draft
refused at its sending for lack of budget. Idempotent: a union that has requests is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Seat, Union, User
from core.services.events import event_record
from workflows.models import Resolution, WorkItem, WorkItemState
from workflows.party import selectors as party_selectors
from workflows.party import services as party_services
from workflows.party.models import InstructionRequest, Matter, RequestKind
from workflows.services.decisions import written_decision_record
from workflows.services.personal import personal_decide

from . import selectors
from .models import ExpenditureRequest, SpendingStandard, StandardBasis
from .services import payment_record, request_create, request_submit

UNIONS = ("fin-centre", "fin-office")
# Provincial default spending standards of the demo (a province sets its own: the admin edits them)
STANDARDS = [
    ("festival_gifts", "节日慰问品", StandardBasis.PER_PERSON_YEAR, "2000.00"),
    ("sick_visit", "会员生病住院慰问", StandardBasis.PER_CASE, "1000.00"),
    ("work_meal", "工作餐", StandardBasis.PER_PERSON, "60.00"),
]


def _user(code: str, role: str) -> User:
    return User.objects.get(username=f"{code}-{role}")


def _item(request: ExpenditureRequest, step: str) -> WorkItem:
    return WorkItem.objects.get(process_id=request.process_id, step=step, state=WorkItemState.OPEN)


def _decide(request, step: str, actor: User, resolution=Resolution.APPROVE, opinions: str = "") -> None:
    personal_decide(work_item=_item(request, step), actor=actor, resolution=resolution, opinions=opinions)


def _union_with_budget() -> tuple[Union, int] | None:
    """The first demo union whose budget for this year is in force (not spending provisionally)."""
    for code in UNIONS:
        union = Union.objects.filter(code=code).first()
        if union is None:
            continue
        year = selectors.budget_year_for(union)
        basis = selectors.spending_basis(union.pk, year)
        if not basis.provisional and selectors.spendable_lines(union.pk, year, basis):
            return union, year
    return None


class _Demo:
    def __init__(self, union: Union, year: int):
        self.union, self.code = union, union.code
        lines = sorted(selectors.spendable_lines(union.pk, year), key=lambda line: line.amount)
        self.small, self.large = lines[0], lines[-1]
        self.office, self.finance = _user(self.code, "office"), _user(self.code, "finance")
        self.chair = _user(self.code, "chair")
        self.today = timezone.localdate()

    def request(
        self, purpose: str, amount: str, line=None, send: bool = True, **fields
    ) -> ExpenditureRequest:
        made = request_create(
            actor=self.office,
            union=self.union,
            account_id=(line or self.large).account_id,
            amount=Decimal(amount),
            purpose=purpose,
            activity_date=self.today - datetime.timedelta(days=3),
            **fields,
        )
        return request_submit(actor=self.office, request=made) if send else made

    def approve(self, request: ExpenditureRequest) -> None:
        """Every holder of its route approves (a collective route stops before the committee)."""
        _decide(request, "finance_check", self.finance)
        if request.route in ("chair", "countersign"):
            _decide(request, "chair_approval", self.chair)
        if request.route == "countersign":
            _decide(request, "countersign", request.countersigner)

    def pay(self, request: ExpenditureRequest, voucher: str) -> None:
        payment_record(
            actor=self.finance, request=request, paid_on=self.today, voucher_number=voucher, method="transfer"
        )


def _age(request: ExpenditureRequest, step: str, days: int) -> None:
    """The step waits past its due date: the inbox, the home page and oversight show it late."""
    now = timezone.now()
    WorkItem.objects.filter(process_id=request.process_id, step=step, state=WorkItemState.OPEN).update(
        created_at=now - datetime.timedelta(days=days + 2), due_at=now - datetime.timedelta(days=days)
    )


def _agreed_instruction(demo: _Demo) -> InstructionRequest | None:
    """S1.3: the request for instructions on the major expenditure below (its route has no Party step),
    signed by the chair and agreed in writing by the Party organisation; None where the union's catalogue
    needs none."""
    item = party_selectors.catalogue_item_for(demo.union, Matter.MAJOR_EXPENDITURE)
    if item is None or item.kind != RequestKind.REQUEST:
        return None
    asked = party_services.request_create(
        actor=demo.office,
        union=demo.union,
        items=[item],
        title="关于更新职工之家健身器材的请示",
        text="职工之家健身器材使用已满八年，拟从文体活动经费中支出20000元更新，妥否，请批示。",
    )
    party_services.request_submit(actor=demo.office, request=asked)
    _decide(asked, "chair_sign", demo.chair)
    written_decision_record(
        work_item=_item(asked, "party_reply"),
        recorder=_user(demo.code, "party"),
        resolution=Resolution.APPROVE,
        reference_number=f"机党〔{demo.today.year}〕12号",
        decided_on=demo.today,
    )
    return asked


def _paid_to_individuals(demo: _Demo) -> ExpenditureRequest:
    """A payment to individuals by name, under the festival-gifts standard; accounts masked on screen."""
    people = (
        Seat.objects.in_force()
        .filter(union=demo.union)
        .order_by("person_id")
        .values_list("person__full_name", flat=True)
        .distinct()[:7]
    )
    payees = [(name, Decimal("400.00"), f"6222 0210 0100 {1001 + i:04d}") for i, name in enumerate(people)]
    paid = demo.request(
        "三八节女职工慰问品", str(Decimal("400.00") * len(payees)), standard="festival_gifts", payees=payees
    )
    demo.approve(paid)
    demo.pay(paid, f"记-{demo.today:%m}-001")
    return paid


def _line_nearly_spent(demo: _Demo) -> list[ExpenditureRequest]:
    """The smallest line nearly spent, and a draft on it refused for lack of budget (S3.1)."""
    nearly = demo.request(
        "困难职工送温暖",
        str(demo.small.amount - Decimal("1500.00")),
        line=demo.small,
        countersigner=_user(demo.code, "committee2"),
    )
    demo.approve(nearly)
    demo.pay(nearly, f"记-{demo.today:%m}-002")
    refused = demo.request("追加慰问", "5000.00", line=demo.small, send=False)
    try:
        request_submit(actor=demo.office, request=refused)
    except ValidationError as exc:
        event_record(
            verb="action_refused",
            actor=demo.office,
            union=demo.union,
            detail={"reason": "expenditure refused", "work_item": None, "message": " ".join(exc.messages)},
        )
    return [nearly, refused]


@transaction.atomic
def seed_demo_expenditure(*, write: Callable[[str], object] | None = None) -> list[str]:
    for code, name, basis, cap in STANDARDS:
        SpendingStandard.objects.get_or_create(
            union=None, code=code, defaults={"name": name, "basis": basis, "cap": Decimal(cap)}
        )
    found = _union_with_budget()
    if found is None or ExpenditureRequest.objects.filter(union=found[0]).exists():
        return []
    demo = _Demo(*found)
    paid = _paid_to_individuals(demo)
    late = demo.request("职工书屋图书采购", "4500.00")
    _decide(late, "finance_check", demo.finance)
    _age(late, "chair_approval", days=4)
    countersign = demo.request(
        "职工乒乓球比赛场地租用和奖品", "12000.00", countersigner=_user(demo.code, "committee1")
    )
    _decide(countersign, "finance_check", demo.finance)
    _decide(countersign, "chair_approval", demo.chair)
    major = demo.request(
        "职工之家健身器材更新（重大支出）", "20000.00", major=True, instruction=_agreed_instruction(demo)
    )
    _decide(major, "finance_check", demo.finance)
    returned = demo.request("元旦慰问品", "3200.00")
    reason = "缺少供货单位发票，请补充后重新送审。"
    _decide(returned, "finance_check", demo.finance, Resolution.RETURN, reason)
    made = [paid, late, countersign, major, returned, *_line_nearly_spent(demo)]
    if write:
        write(f"expenditure requests: {len(made)} at {demo.union.name}")
    return [r.title for r in made]


demo_seeders.register("expenditure requests", seed_demo_expenditure, order=85)
