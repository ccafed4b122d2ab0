"""What a person does through the API (issue 32): claim, transfer, decide a personal step, answer an
opinion request, urge, request an expenditure. Each endpoint is its page without the HTML: the same
scope checks (workflows.views_actions' own helpers where the page has them), the same forms' rules
and the same service, and the same refusals — 404 for what the person may not see, 403 for what they
may see but not do, 409 when someone else got there first or holds the document, 400 for bad input —
each refusal written as an event where the page writes one. api.errors gives every error its shape."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers_actions as s
from api.serializers_read import ErrorSerializer
from core import errors as core_errors
from core.http import refuse, union_for_viewer
from core.people import person_name
from workflows import errors
from workflows.circles import transfer_scope
from workflows.documents import document_for
from workflows.expenditure import services as expenditure
from workflows.expenditure.forms import RequestForm
from workflows.models import OpinionRequest, WorkItem, WorkItemKind, WorkItemState
from workflows.services.actions import refused, work_item_claim, work_item_transfer
from workflows.services.opinions import OpinionClosed, opinion_answer, opinion_closed
from workflows.services.personal import decides_personally, personal_decide
from workflows.services.urge import work_item_urge
from workflows.services.workitems import AlreadyHandled, DocumentBusy
from workflows.views_actions import action_precheck, item_closed, item_for_viewer, run_action

TAG = "actions"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def refusal(problems: list[str], code: int) -> exceptions.APIException:
    """The page's (problems, status) as the API's exception."""
    message = " ".join(str(p) for p in problems)
    if code == 409:
        return Conflict(message)
    if code == 403:
        return exceptions.PermissionDenied(message)
    if code == 404:
        return exceptions.NotFound(message)
    return exceptions.ValidationError({"non_field_errors": [str(p) for p in problems]})


def _errors(*codes: int) -> dict:
    said = {
        400: "Bad input, or refused by a rule (the message says which).",
        401: "No valid session or personal access token.",
        403: "The person may see this but may not do it.",
        404: "No such task or union, or not the person's to see.",
        409: "Already handled by someone else, or the document is busy: try again.",
        429: "Too many requests: wait as Retry-After says.",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=said[code]) for code in (*codes, 401, 429)}


def _step(item: WorkItem) -> dict:
    return {
        "id": item.pk,
        "step": item.step,
        "title": str(item.step_title),
        "state": item.state,
        "assignee": person_name(item.assignee) if item.assignee_id else None,
    }


def _open_steps(process_id) -> list[dict]:
    items = WorkItem.objects.filter(process_id=process_id, state=WorkItemState.OPEN).select_related(
        "assignee"
    )
    return [_step(i) for i in items.order_by("id")]


def _result(item: WorkItem, **extra) -> Response:
    """The item as it is now, and where its document is: its status and open steps."""
    item = WorkItem.objects.select_related("assignee").get(pk=item.pk)
    document = document_for(item)
    body = {
        "work_item": _step(item),
        "document": {
            "type": item.document_type,
            "id": item.document_id,
            "title": str(getattr(document, "title", "") or item.document_title),
            "status": str(getattr(document, "status", "")),
            "open_steps": _open_steps(item.process_id),
        },
    }
    return Response(body | extra)


def _messages(detail) -> list[str]:
    """Nested errors (a payee's row) as flat sentences: the error shape's fields are lists of strings."""
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list | tuple):
        return [m for value in detail for m in _messages(value)]
    return [str(detail)]


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise exceptions.ValidationError({name: _messages(v) for name, v in serializer.errors.items()})
    return serializer.validated_data


# --- claim and transfer: workflows:claim, workflows:transfer -----------------------------------------


class ClaimView(APIView):
    @extend_schema(
        tags=[TAG],
        request=None,
        responses={200: s.WorkItemResult, **_errors(400, 403, 404, 409)},
        summary="Claim a body's task (签收)",
    )
    def post(self, request, item_id: int):
        item, _document = item_for_viewer(request, item_id)
        closed = item_closed(request, item)
        if closed:
            raise refusal(*closed)
        problems, code = run_action(
            request, item=item, call=lambda: work_item_claim(item=item, user=request.user)
        )
        if problems:
            raise refusal(problems, code)
        return _result(item)


class TransferView(APIView):
    @extend_schema(
        tags=[TAG],
        request=s.TransferInput,
        responses={200: s.WorkItemResult, **_errors(400, 403, 404, 409)},
        summary="Transfer a body's task to another recorder of the body (转交)",
    )
    def post(self, request, item_id: int):
        item, _document = item_for_viewer(request, item_id)
        if item.kind != WorkItemKind.BODY:
            exc = ValidationError(errors.CLAIM_PERSON_TASK)
            refused(actor=request.user, item=item, reason="transfer person task", exc=exc)
            raise refusal(exc.messages, 400)
        checked = action_precheck(request, item)
        if checked:
            raise refusal(*checked)
        data = _valid(s.TransferInput, request)
        # only the people the page's picker accepts (workflows.circles.transfer_scope)
        to = (
            transfer_scope(item=item, user=request.user)
            .allowed.filter(pk=data["person"], is_active=True)
            .first()
        )
        if to is None:
            exc = ValidationError(core_errors.PERSON_NOT_ALLOWED)
            refused(actor=request.user, item=item, reason="person not allowed", exc=exc)
            raise exceptions.ValidationError({"person": exc.messages})
        problems, code = run_action(
            request,
            item=item,
            call=lambda: work_item_transfer(item=item, user=request.user, to=to, note=data["note"].strip()),
        )
        if problems:
            raise refusal(problems, code)
        return _result(item)


# --- a holder's decision: workflows:personal_decision -------------------------------------------------


class DecisionView(APIView):
    @extend_schema(
        tags=[TAG],
        request=s.DecisionInput,
        responses={200: s.WorkItemResult, **_errors(400, 403, 404, 409)},
        summary="Approve, or return with opinions, a step that is the person's to decide",
    )
    def post(self, request, item_id: int):
        item = WorkItem.objects.select_related("union", "process").filter(pk=item_id).first()
        if item is None or not decides_personally(item):
            raise Http404
        if item.assignee_id != request.user.pk:
            refuse(request, union=item.union, reason="not the holder of this step", status=403)
        closed = item_closed(request, item)  # decided already (in another tab): who and when, not a bare 403
        if closed:
            raise refusal(*closed)
        data = _valid(s.DecisionInput, request)
        try:
            personal_decide(
                work_item=item, actor=request.user, resolution=data["outcome"], opinions=data["opinion"]
            )
        except AlreadyHandled as exc:
            raise refusal(exc.messages, 409) from None
        except ValidationError as exc:
            # kept as an event: the decision's transaction has rolled back (no budget left, …)
            refused(actor=request.user, item=item, reason="decision refused", exc=exc)
            raise refusal(exc.messages, 400) from None
        except DocumentBusy:
            raise refusal([str(errors.LOCKED)], 409) from None
        except PermissionDenied as exc:
            refused(actor=request.user, item=item, reason="decision refused", exc=exc)
            raise refusal([str(exc)], 403) from None
        return _result(item)


# --- an opinion: workflows:opinion_answer -----------------------------------------------------------


class OpinionView(APIView):
    @extend_schema(
        tags=[TAG],
        request=s.OpinionInput,
        responses={200: s.WorkItemResult, **_errors(400, 403, 404, 409)},
        summary="Answer a request for opinions (S2.2, S3.3)",
    )
    def post(self, request, item_id: int):
        item = WorkItem.objects.select_related("union", "process").filter(pk=item_id).first()
        if item is None:
            raise Http404
        if item.kind != WorkItemKind.PERSON or item.assignee_id != request.user.pk:
            refuse(request, union=item.union, reason="not the recipient of this opinion request")
        opinion = OpinionRequest.objects.filter(work_item=item).first()
        if opinion is None:
            raise Http404
        if not item.is_open:
            closed = opinion_closed(work_item=item, answered_at=opinion.answered_at, user=request.user)
            raise refusal(closed.messages, 409)
        data = _valid(s.OpinionInput, request)
        try:
            opinion_answer(work_item=item, actor=request.user, answer=data["answer"], text=data["text"])
        except (OpinionClosed, AlreadyHandled) as exc:
            raise refusal(exc.messages, 409) from None
        except ValidationError as exc:
            raise refusal(exc.messages, 400) from None
        except DocumentBusy:
            raise refusal([str(errors.LOCKED)], 409) from None
        except PermissionDenied:
            refuse(request, union=item.union, reason="not the recipient of this opinion request")
        return _result(item)


# --- urge: workflows:urge ---------------------------------------------------------------------------


class UrgeView(APIView):
    @extend_schema(
        tags=[TAG],
        request=None,
        responses={200: s.UrgeResult, **_errors(400, 403, 404, 409)},
        summary="Urge the current approvers (催办), once per task per 24 hours",
    )
    def post(self, request, item_id: int):
        item, _document = item_for_viewer(request, item_id)
        try:
            notes = work_item_urge(item=item, user=request.user)
        except AlreadyHandled as exc:
            raise refusal(exc.messages, 409) from None
        except PermissionDenied as exc:
            refused(actor=request.user, item=item, reason="urge not allowed", exc=exc)
            raise refusal([str(exc)], 403) from None
        except ValidationError as exc:  # urged less than 24 hours ago
            raise refusal(exc.messages, 409) from None
        return _result(item, told=len(notes))


# --- an expenditure request: expenditure:new, then expenditure:submit -------------------------------


def _form_data(data: dict) -> dict:
    """The serializer's values as the request form's POST, so that the form's rules apply unchanged:
    a line of the budget in force, an offered countersigner, standard and request for instructions."""
    return {
        "account": data["account"],
        "amount": str(data["amount"]),
        "purpose": data["purpose"],
        "activity_date": data["activity_date"].isoformat(),
        "major": "on" if data["major"] else "",
        "countersigner": data["countersigner"] or "",
        "instruction": data["instruction"] or "",
        "standard": data["standard"],
    }


def _values(form: RequestForm) -> dict:
    data = form.cleaned_data
    return {
        "account_id": data["account"],
        "amount": data["amount"],
        "purpose": data["purpose"],
        "activity_date": data["activity_date"],
        "major": data["major"],
        "instruction_id": data["instruction"],
        "countersigner_id": data["countersigner"],
        "standard": data["standard"],
    }


class ExpenditureRequestView(APIView):
    @extend_schema(
        tags=[TAG],
        request=s.ExpenditureRequestInput,
        responses={201: s.ExpenditureRequestOut, **_errors(400, 403, 404, 409)},
        summary="Request an expenditure and send it (S3.1, S5.3)",
        description="Saved and sent in one step, as the request page then its send button. A request the "
        "rules refuse (above what remains on the line, a spending standard, …) is not kept; the refusal is.",
    )
    def post(self, request, union_pk: int):
        union, access = union_for_viewer(request, union_pk)
        if not access.can_draft:
            refuse(request, union=union, reason="may not request expenditure", status=403)
        data = _valid(s.ExpenditureRequestInput, request)
        form = RequestForm(_form_data(data), union=union, requester=request.user)
        if not form.is_valid():
            fields = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            exc = ValidationError([m for messages in fields.values() for m in messages])
            refused(actor=request.user, item=None, union=union, reason="expenditure request refused", exc=exc)
            raise exceptions.ValidationError(fields)
        payees = [(p["name"], p["amount"], p["bank_account"]) for p in data["payees"]]
        try:
            with transaction.atomic():
                created = expenditure.request_create(
                    actor=request.user, union=union, payees=payees, **_values(form)
                )
                expenditure.request_submit(actor=request.user, request=created)
        except ValidationError as exc:
            # the event stays: the request's own transaction has rolled back
            refused(actor=request.user, item=None, union=union, reason="expenditure request refused", exc=exc)
            raise refusal(exc.messages, 400) from None
        except DocumentBusy:
            raise refusal([str(errors.LOCKED)], 409) from None
        except PermissionDenied as exc:
            refused(actor=request.user, item=None, union=union, reason="may not request expenditure", exc=exc)
            raise refusal([str(exc)], 403) from None
        created.refresh_from_db()
        body = {
            "id": created.pk,
            "title": created.title,
            "amount": created.amount,
            "status": created.status,
            "route": created.route,
            "open_steps": _open_steps(created.process_id),
        }
        return Response(s.ExpenditureRequestOut(body).data, status=status.HTTP_201_CREATED)
