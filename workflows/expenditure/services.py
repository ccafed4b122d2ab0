"""Writing expenditure requests (S3.1, S5.3): create, change, submit along the route the rules give,
withdraw, commit on the budget line at the final approval, and pay."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Role, Seat, User
from core.selectors import union_access
from core.services.events import event_record
from workflows import errors as spine_errors
from workflows.amounts import format_yuan
from workflows.budget_adjustment.selectors import window_open
from workflows.models import Attachment, DocumentType, WorkItem, WorkItemState
from workflows.party import errors as party_errors
from workflows.party import services as party_services
from workflows.party.models import Matter
from workflows.services.drafting import document_withdraw, drafter_item, withdrawable
from workflows.services.workitems import AlreadyHandled, assert_may_act, process_lock, work_item_complete
from workflows.steps import Actor

from . import errors, selectors
from .flows import STEPS, ExpenditureFlow, chain_for
from .models import ExpenditurePayee, ExpenditureRequest, ExpenditureStatus, LedgerLine, Route
from .standards import standard_problems

# what the requester may change (the union, the year and the requester stay)
EDITABLE = (
    "account_id",
    "amount",
    "purpose",
    "activity_date",
    "major",
    "countersigner_id",
    "standard",
    "instruction_id",
)

# A payee as the form or the API gives it: (name, amount, bank account as typed).
Payee = tuple[str, Decimal | None, str]

# What the requester is told when the real-name list of payees is refused (issue 26). errors.py holds
# the request's own refusals; these stay beside the check that raises them.
PAYEE_NO_NAME = _("Payee %(n)s has no name: a payment to a person needs their real name.")
PAYEE_NAME_TOO_LONG = _("The name of payee %(n)s is longer than %(max)s characters.")
PAYEE_AMOUNT_NOT_POSITIVE = _("Payee %(n)s: the amount must be more than zero.")
PAYEE_AMOUNT_DECIMALS = _("Payee %(n)s: amounts have at most two decimals (fen).")
PAYEE_ACCOUNT_INVALID = _(
    "Payee %(n)s: a bank account is written with digits and spaces only, %(min)s to %(max)s digits."
)
PAYEES_SUM_MISMATCH = _(
    "The payees' amounts add up to %(total)s yuan, but the request is for %(amount)s yuan: "
    "the two must be equal."
)
PAYEE_NAME_MAX = 100
ACCOUNT_DIGITS = (8, 32)
ACCOUNT_MAX_CHARS = 40
_ACCOUNT_RE = re.compile(r"[0-9][0-9 ]*")


def _yuan(value: Decimal) -> str:
    return format_yuan(value)


def request_rule_errors(request: ExpenditureRequest) -> list[str]:
    """S3.1: the line is an expenditure line of the budget in force and the amount fits what remains
    (budgeted − committed − paid); the amount is positive with at most two decimals."""
    problems = []
    amount = request.amount
    if amount is None or amount <= 0:
        problems.append(str(errors.AMOUNT_NOT_POSITIVE))
    elif amount.as_tuple().exponent < -2:
        problems.append(str(errors.AMOUNT_DECIMALS))
    if selectors.spending_basis(request.union_id, request.year).version_id is None:
        return [*problems, str(errors.NO_BUDGET % {"union": request.union, "year": request.year})]
    amount_budgeted = selectors.budgeted(request.union_id, request.year, request.account_id)
    if amount_budgeted is None or request.account.kind != "expenditure":
        problems.append(str(errors.OFF_BUDGET % {"year": request.year, "account": request.account}))
        return problems
    if not problems:
        problems.extend(
            _remaining_problems(
                request, selectors.line_figures(request.union_id, request.year, request.account_id)
            )
        )
    return problems + standard_problems(request)


def _remaining_problems(request: ExpenditureRequest, figures: selectors.LineFigures) -> list[str]:
    if request.amount <= figures.remaining:
        return []
    return [
        str(
            errors.OVER_REMAINING
            % {
                "amount": _yuan(request.amount),
                "account": request.account,
                "budgeted": _yuan(figures.budgeted),
                "committed": _yuan(figures.committed),
                "paid": _yuan(figures.paid),
                "remaining": _yuan(figures.remaining),
            }
        ),
        # S3.4: while the adjustment window is open, the way out is a budget adjustment
        *([str(errors.OVER_REMAINING_ADJUST)] if window_open(union=request.union, year=request.year) else []),
    ]


def _route_problems(request: ExpenditureRequest) -> list[str]:
    if request.route != Route.COUNTERSIGN:
        return []
    if request.countersigner_id is None:
        return [str(errors.NO_COUNTERSIGNER)]
    allowed = {
        s.person_id
        for s in selectors.countersigner_choices(request.union_id, requester_id=request.drafter_id)
    }
    # nor the vice chair who approves a chair's own request in the chair's place: two different people
    allowed.discard(step_holder(request, "chair_approval"))
    return [] if request.countersigner_id in allowed else [str(errors.BAD_COUNTERSIGNER)]


def planned_route(request: ExpenditureRequest) -> str:
    """The route the request takes if sent now (shown on its page before it is sent)."""
    return selectors.route_for(
        thresholds=selectors.thresholds_for(request.union),
        amount=request.amount,
        major=request.major,
        requester_is_chair=selectors.chair_id(request.union_id) == request.drafter_id,
    )


def step_holder(request: ExpenditureRequest, step: str) -> int | None:
    """The person who holds a holder's step of this request (DocumentKind.step_holder)."""
    if step in ("finance_check", "pay"):
        return selectors.finance_officer_id(request.union_id, other_than=request.drafter_id)
    if step == "chair_approval":
        chair = selectors.chair_id(request.union_id)
        # a chair's own request reaches this step only where a vice chair approves in their place
        return selectors.vice_chair_id(request.union_id) if chair == request.drafter_id else chair
    if step == "countersign":
        return request.countersigner_id
    return None


def _payee_line_problems(n: int, name: str, amount: Decimal | None, account: str) -> list[str]:
    problems = []
    if not name:
        problems.append(str(PAYEE_NO_NAME % {"n": n}))
    elif len(name) > PAYEE_NAME_MAX:
        problems.append(str(PAYEE_NAME_TOO_LONG % {"n": n, "max": PAYEE_NAME_MAX}))
    if amount is None or amount <= 0:
        problems.append(str(PAYEE_AMOUNT_NOT_POSITIVE % {"n": n}))
    elif amount.as_tuple().exponent < -2:
        problems.append(str(PAYEE_AMOUNT_DECIMALS % {"n": n}))
    digits = sum(ch.isdigit() for ch in account)
    if account and not (
        _ACCOUNT_RE.fullmatch(account)
        and ACCOUNT_DIGITS[0] <= digits <= ACCOUNT_DIGITS[1]
        and len(account) <= ACCOUNT_MAX_CHARS
    ):
        problems.append(
            str(PAYEE_ACCOUNT_INVALID % {"n": n, "min": ACCOUNT_DIGITS[0], "max": ACCOUNT_DIGITS[1]})
        )
    return problems


def payees_cleaned(payees: Sequence[Payee], amount: Decimal | None) -> list[Payee]:
    """The real-name list checked (issue 26): every payee has a name, a positive amount with at most two
    decimals and an account of digits and spaces (or none), and the amounts add up to the request's
    amount. Returns the payees with their text trimmed; ValidationError in Chinese naming the figures.
    An empty list is a request that pays no individuals."""
    cleaned = [((name or "").strip(), value, (account or "").strip()) for name, value, account in payees]
    problems = []
    for n, (name, value, account) in enumerate(cleaned, start=1):
        problems.extend(_payee_line_problems(n, name, value, account))
    if cleaned and not problems and amount is not None:
        total = sum((value for _name, value, _account in cleaned), Decimal("0"))
        if total != amount:
            problems.append(str(PAYEES_SUM_MISMATCH % {"total": _yuan(total), "amount": _yuan(amount)}))
    if problems:
        raise ValidationError(problems)
    return cleaned


def _payees_save(request: ExpenditureRequest, payees: Sequence[Payee]) -> None:
    """The list replaces the request's previous one, in the order given."""
    request.payees.all().delete()
    ExpenditurePayee.objects.bulk_create(
        ExpenditurePayee(request=request, position=n, name=name, amount=value, bank_account=account)
        for n, (name, value, account) in enumerate(payees, start=1)
    )


def _check_requester(actor: User, union) -> None:
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(errors.NOT_REQUESTER)


@transaction.atomic
def request_create(*, actor: User, union, payees: Sequence[Payee] = (), **fields) -> ExpenditureRequest:
    """A new request in draft, its chain started (the requester's draft step in their inbox). ``payees``:
    the real-name list when it pays individuals (payees_cleaned)."""
    _check_requester(actor, union)
    request = ExpenditureRequest(union=union, drafter=actor, year=selectors.budget_year_for(union), **fields)
    request.title = f"{request.purpose[:60]}（{_yuan(request.amount)}元）"
    request.full_clean(exclude=["process", "route", "title"])
    payees = payees_cleaned(payees, request.amount)
    request.save()
    _payees_save(request, payees)
    ExpenditureFlow.start.run(document=request)
    request.refresh_from_db()
    event_record(verb="created", actor=actor, subject=request, union=union, to_state=request.status)
    return request


def request_update(
    *, actor: User, request: ExpenditureRequest, payees: Sequence[Payee] | None = None, **fields
) -> ExpenditureRequest:
    """The requester changes the request while it is with them (draft, or returned for revision).
    ``payees``: the new real-name list (empty: it pays no individuals); None keeps the stored one, which
    must still add up to the amount."""
    with process_lock(request.process_id, document=request):
        item = drafter_item(request, locked=True)
        if item is None or item.assignee_id != actor.pk:
            raise PermissionDenied(errors.NOT_EDITABLE)
        for name, value in fields.items():
            if name in EDITABLE:
                setattr(request, name, value)
        request.title = f"{request.purpose[:60]}（{_yuan(request.amount)}元）"
        request.full_clean(exclude=["process", "route"])
        kept = [(p.name, p.amount, p.bank_account) for p in request.payees.all()]
        cleaned = payees_cleaned(kept if payees is None else payees, request.amount)
        request.save()
        if payees is not None:
            _payees_save(request, cleaned)
    return request


@dataclass(frozen=True)
class PayeeShown:
    """A payee as one viewer sees it: ``account`` masked unless the viewer is the finance officer."""

    name: str
    amount: Decimal
    account: str


def payees_for_viewer(
    *, viewer: User, request: ExpenditureRequest, record: bool = True
) -> tuple[list[PayeeShown], bool]:
    """The real-name list for a page, and whether its accounts are shown in full. Only the union's finance
    officer sees them in full, and each page view that shows them is written as an event (how many, never
    the numbers) unless ``record`` is false (a page that does not show them)."""
    payees = list(request.payees.all())
    with_account = sum(1 for p in payees if p.bank_account)
    unmasked = with_account > 0 and is_finance_officer(viewer, request.union_id)
    if unmasked and record:
        event_record(
            verb="payee_accounts_viewed",
            actor=viewer,
            subject=request,
            union=request.union,
            detail={"count": with_account},
        )
    shown = [
        PayeeShown(name=p.name, amount=p.amount, account=p.bank_account if unmasked else p.masked_account)
        for p in payees
    ]
    return shown, unmasked


def request_submit(*, actor: User, request: ExpenditureRequest) -> ExpenditureRequest:
    """The requester sends the request: the budget checks (S3.1) and the route's holders first; the
    route is fixed from the rules in force now (S5.3) and shown on the request from then on."""
    with process_lock(request.process_id, document=request):
        item = drafter_item(request, locked=True)
        if item is None:
            raise ValidationError(spine_errors.TASK_CLOSED)
        assert_may_act(user=actor, work_item=item)
        request.route = planned_route(request)
        request.with_party = selectors.party_approves(
            thresholds=selectors.thresholds_for(request.union), route=request.route, amount=request.amount
        )
        # before the year's budget is in force, spent against last year's lines (S3.1 in practice)
        request.provisional = selectors.spending_basis(request.union_id, request.year).provisional
        problems = request_rule_errors(request) + _route_problems(request) + _holder_problems(request)
        problems += _instruction_problems(request)
        if problems:
            raise ValidationError(problems)
        if not _instruction_needed(request):
            request.instruction = None  # the route's own Party step (or none needed): nothing to use up
        request.save(update_fields=["route", "provisional", "with_party", "instruction"])
        _instruction_use(request)
        event_record(
            verb="submitted",
            actor=actor,
            subject=request,
            union=request.union,
            from_state=request.status,
            detail={"step": item.step, "route": request.route, "amount": str(request.amount)},
        )
        work_item_complete(work_item=item, actor=actor, outcome="submitted")
    return request


def _instruction_needed(request: ExpenditureRequest) -> bool:
    """S1.3: a major expenditure whose route has no Party step is gated by the catalogue; one whose route
    has it is covered by its chain (that approval is the request)."""
    return request.major and not request.with_party


def _instruction_problems(request: ExpenditureRequest) -> list[str]:
    """S1.3, the catalogue gate: a major expenditure not covered by its route is sent only on an agreed
    request for instructions on major expenditure (none needed where the union's catalogue makes the
    matter a report or switches it off). A request sent before on it and returned keeps it."""
    return party_services.gate_problems(
        union=request.union,
        matter=Matter.MAJOR_EXPENDITURE,
        request_id=request.instruction_id,
        document=(DocumentType.EXPENDITURE, request.pk),
        needed=_instruction_needed(request),
    )


def _instruction_use(request: ExpenditureRequest) -> None:
    """The agreed request is used up by this expenditure, once: of two requests sent on the same one at
    the same moment, the second finds it used and its whole submit rolls back."""
    if request.instruction_id is None:
        return
    used = party_services.gate_use(
        request_id=request.instruction_id, document_type=DocumentType.EXPENDITURE, document_id=request.pk
    )
    if not used:
        raise ValidationError(party_errors.GATE_REQUEST_USED)


def _holder_problems(request: ExpenditureRequest) -> list[str]:
    steps = [s for s in chain_for(request) if STEPS[s].actor == Actor.HOLDER]
    return [
        str(errors.NO_HOLDER % {"step": STEPS[s].title}) for s in steps if step_holder(request, s) is None
    ]


def request_withdraw(*, actor: User, request: ExpenditureRequest, reason: str = "") -> None:
    document_withdraw(actor=actor, document=request, reason=reason, not_withdrawable=errors.NOT_WITHDRAWABLE)


def request_withdrawable(request: ExpenditureRequest) -> bool:
    return withdrawable(request) and request.status not in (
        ExpenditureStatus.APPROVED,
        ExpenditureStatus.PAID,
    )


def _locked_line(request: ExpenditureRequest) -> LedgerLine:
    """The line's ledger row, locked until the step's transaction ends (created on first use)."""
    LedgerLine.objects.get_or_create(
        union_id=request.union_id, year=request.year, account_id=request.account_id
    )
    return LedgerLine.objects.select_for_update().get(
        union_id=request.union_id, year=request.year, account_id=request.account_id
    )


def request_commit(*, request: ExpenditureRequest) -> None:
    """The final approval commits the amount on the line, under the line's row lock (S3.1): of two
    approvals racing for the last yuan one commits, the other is refused with the figures and its
    whole step rolls back."""
    row = _locked_line(request)
    figures = selectors.line_figures(request.union_id, request.year, request.account_id, row=row)
    problems = _remaining_problems(request, figures)
    if problems:
        raise ValidationError(problems)
    row.committed += request.amount
    row.save(update_fields=["committed"])
    event_record(
        verb="committed",
        subject=request,
        union=request.union,
        detail={
            "account": request.account_id,
            "amount": str(request.amount),
            "remaining": str(figures.remaining - request.amount),
        },
    )


def payment_record(
    *, actor: User, request: ExpenditureRequest, paid_on: datetime.date, voucher_number: str, method: str
) -> ExpenditureRequest:
    """The finance officer records the payment: the committed amount becomes paid on the line."""
    voucher_number = voucher_number.strip()
    if not voucher_number:
        raise ValidationError(errors.VOUCHER_EMPTY)
    if paid_on > timezone.localdate():
        raise ValidationError(errors.PAID_IN_FUTURE)
    with process_lock(request.process_id, document=request):
        item = (
            WorkItem.objects.select_related("task")
            .filter(process_id=request.process_id, step="pay")
            .order_by("-id")
            .first()
        )
        if item is None or request.status != ExpenditureStatus.APPROVED:
            raise ValidationError(errors.NOT_PAYABLE)
        if item.state != WorkItemState.OPEN:
            raise AlreadyHandled(item)
        if item.assignee_id != actor.pk:
            raise PermissionDenied(errors.NOT_FINANCE_OFFICER)
        if ExpenditureRequest.objects.filter(
            union_id=request.union_id, year=request.year, voucher_number=voucher_number
        ).exists():
            raise ValidationError(
                errors.VOUCHER_USED, params={"number": voucher_number, "year": request.year}
            )
        row = _locked_line(request)
        row.committed -= request.amount
        row.paid += request.amount
        row.save(update_fields=["committed", "paid"])
        request.paid_on, request.voucher_number, request.payment_method, request.paid_by = (
            paid_on,
            voucher_number,
            method,
            actor,
        )
        try:
            with transaction.atomic():
                request.save(update_fields=["paid_on", "voucher_number", "payment_method", "paid_by"])
        except IntegrityError:  # the same number recorded by another payment a moment ago
            raise ValidationError(
                errors.VOUCHER_USED, params={"number": voucher_number, "year": request.year}
            ) from None
        event_record(
            verb="paid",
            actor=actor,
            subject=request,
            union=request.union,
            detail={"voucher": voucher_number, "paid_on": paid_on.isoformat(), "amount": str(request.amount)},
        )
        work_item_complete(work_item=item, actor=actor, outcome="paid")
    return request


def request_paid(request: ExpenditureRequest) -> None:
    """The chain's end (DocumentKind.put_in_force): the request is paid."""
    previous = request.status
    request.status = ExpenditureStatus.PAID
    request.in_force_since = timezone.now()
    request.save(update_fields=["status", "in_force_since"])
    event_record(
        verb="in_force", subject=request, union=request.union, from_state=previous, to_state=request.status
    )


def is_finance_officer(user: User, union_id: int) -> bool:
    return Seat.objects.in_force().filter(person=user, union_id=union_id, role=Role.FINANCE_OFFICER).exists()


def may_attach(*, user: User, request: ExpenditureRequest) -> bool:
    """Invoices and quotes are attached by the requester and the union's officers, at any stage (an
    invoice often arrives after the payment); supervisors above and participants only read them."""
    return user.pk == request.drafter_id or union_access(user=user, union=request.union).is_officer


@transaction.atomic
def attachment_add(*, actor: User, request: ExpenditureRequest, upload, note: str = "") -> Attachment:
    """An attachment on the request and its history line, or neither; downloaded only through
    workflows:attachment, which checks the right to the request (the registry finds it by type)."""
    if not may_attach(user=actor, request=request):
        raise PermissionDenied(errors.NOT_EDITABLE)
    attachment = Attachment.objects.create(
        union=request.union,
        document_type=DocumentType.EXPENDITURE,
        document_id=request.pk,
        file=upload,
        name=upload.name[:200],
        size=upload.size,
        uploaded_by=actor,
        note=note,
    )
    event_record(
        verb="attachment_added",
        actor=actor,
        subject=request,
        union=request.union,
        detail={"name": attachment.name, "size": upload.size},
    )
    return attachment
