"""The API's read endpoints (issue 32): thin views over the selectors and access checks the pages use,
so a person reads exactly what their pages show them (the inbox, documents and their trails, a union's
obligations, their notifications, a budget line's ledger). Outsiders get the pages' 404, in the API's
error shape (api.errors)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers_read as s
from api.pagination import Pagination
from core.http import refuse, union_for_viewer
from core.statutory import Obligation, ObligationStatus
from notifications.selectors import notifications_page
from workflows import registry
from workflows.budget.models import Account, AccountKind
from workflows.documents import document_visible_to
from workflows.expenditure import selectors as expenditure
from workflows.expenditure.models import ExpenditureStatus
from workflows.selectors import InboxFilters, done_page, todo_page, watching
from workflows.trail import document_trail
from workflows.views import _cursor_param, _cursor_value

ERRORS = {401: s.ErrorSerializer, 403: s.ErrorSerializer, 404: s.ErrorSerializer, 429: s.ErrorSerializer}
BOXES = ("todo", "watching", "done")
MAX_ID = 2**63 - 1


def _int(raw: str | None) -> int | None:
    """A positive id from the query string, or None (a garbage value is ignored, never a 500)."""
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value <= MAX_ID else None


def _item_row(item, *, current_steps=()) -> dict:
    return {
        "work_item_id": item.pk,
        "document_type": item.document_type,
        "document_id": item.document_id,
        "document_title": item.document_title,
        "union": item.union.name,
        "step_title": item.step_title,
        "due_at": item.due_at,
        "finished_at": item.finished_at,
        "outcome": item.outcome,
        "reason": "",
        "current_steps": list(current_steps),
    }


def _watched_row(doc) -> dict:
    return {
        "work_item_id": None,
        "document_type": doc.document_type,
        "document_id": doc.document_id,
        "document_title": doc.title,
        "union": doc.union_name,
        "step_title": "",
        "due_at": None,
        "finished_at": None,
        "outcome": "",
        "reason": doc.reason,
        "current_steps": doc.current_steps,
    }


class InboxView(APIView):
    """The person's inbox (workflows.selectors, as the 我的工作 page): to do, watching or done."""

    @extend_schema(
        parameters=[
            OpenApiParameter("box", OpenApiTypes.STR, enum=list(BOXES), description="default: todo"),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="the next page's cursor (todo, done)"),
            OpenApiParameter("union", OpenApiTypes.INT, description="todo: only this union's items"),
            OpenApiParameter("type", OpenApiTypes.STR, description="todo: only this document type"),
        ],
        responses={200: s.InboxPageSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        box = request.query_params.get("box") or "todo"
        if box not in BOXES:
            box = "todo"
        cursor = None
        if box == "todo":
            filters = InboxFilters(
                union_id=_int(request.query_params.get("union")),
                document_type=request.query_params.get("type", "")[:30],
            )
            after = _cursor_param(request.query_params.get("cursor"), allow_none=True)
            items, cursor = todo_page(user=request.user, filters=filters, after=after)
            rows = [_item_row(i) for i in items]
        elif box == "done":
            before = _cursor_param(request.query_params.get("cursor"), allow_none=False)
            items, cursor = done_page(user=request.user, before=before)
            rows = [_item_row(i) for i in items]
        else:
            rows = [_watched_row(d) for d in watching(user=request.user)]
        data = {"box": box, "results": rows, "next": _cursor_value(*cursor) if cursor else None}
        return Response(s.InboxPageSerializer(data).data)


class DocumentView(APIView):
    """A document of any registered kind and its trail (workflows.trail), to whoever its page shows it."""

    @extend_schema(responses={200: s.DocumentSerializer, **ERRORS})
    def get(self, request: Request, document_type: str, document_id: int) -> Response:
        kind = registry.kind_or_none(document_type)
        if kind is None:
            raise Http404
        document = kind.document_model().objects.select_related("union").filter(pk=document_id).first()
        if document is None:
            raise Http404
        if not document_visible_to(user=request.user, document_type=document_type, document=document):
            refuse(request, union=document.union, reason="document not visible")
        trail = document_trail(document=document, document_type=document_type)
        data = {
            "document_type": document_type,
            "id": document.pk,
            "title": str(getattr(document, "title", "") or document),
            "union": document.union.name,
            "status": _status_label(document),
            "open_steps": [i.step_title for i in trail.open_items],
            "items": list(trail.items),
            "events": [
                {"at": e.created_at, "verb": e.verb, "who": e.who, "text": e.text} for e in trail.events
            ],
        }
        return Response(s.DocumentSerializer(data).data)


def _status_label(document) -> str:
    display = getattr(document, "get_status_display", None)
    return str(display()) if callable(display) else str(getattr(document, "status", ""))


class ObligationsView(APIView):
    """A union's statutory obligations of a fiscal year, for its officers and the supervisors above
    (as core.views_calendar.obligations)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("union", OpenApiTypes.INT, required=True),
            OpenApiParameter("year", OpenApiTypes.INT, description="default: this year"),
        ],
        responses={200: s.ObligationSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        union_pk = _int(request.query_params.get("union"))
        if union_pk is None:
            raise Http404
        union, access = union_for_viewer(request, union_pk)
        if not access.can_view_documents:
            refuse(request, union=union, reason="obligations are for officers and supervisors")
        today = timezone.localdate(timezone=union.tz)
        year = _int(request.query_params.get("year"))
        year = year if year and 2000 <= year <= 2100 else today.year
        obligations = Obligation.objects.filter(union=union, fiscal_year=year).order_by(
            "due_date", "code", "period"
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(obligations, request, view=self)
        rows = []
        for o in page:
            status = o.status_on(today)
            rows.append(
                {
                    "id": o.pk,
                    "code": o.code,
                    "name": o.get_code_display(),
                    "fiscal_year": o.fiscal_year,
                    "period": o.period,
                    "due_date": o.due_date,
                    "status": status,
                    "status_label": ObligationStatus(status).label,
                    "met_on": o.met_on,
                }
            )
        return paginator.get_paginated_response(s.ObligationSerializer(rows, many=True).data)


class NotificationsView(APIView):
    """The person's notifications, newest first (notifications.selectors.notifications_page)."""

    PAGE = 30

    @extend_schema(
        parameters=[OpenApiParameter("before", OpenApiTypes.INT, description="the previous page's next")],
        responses={200: s.NotificationPageSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        before = _int(request.query_params.get("before"))
        rows = notifications_page(user=request.user, before_id=before, size=self.PAGE)
        data = {"results": rows, "next": rows[-1].pk if len(rows) == self.PAGE else None}
        return Response(s.NotificationPageSerializer(data).data)


class LedgerLineView(APIView):
    """One expenditure line's requests and figures, for whoever may export it from the expenditure pages
    (expenditure:line_export: the union's officers and the supervisors above)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="default: the budget year"),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: s.LedgerLineSerializer, **ERRORS},
    )
    def get(self, request: Request, union_pk: int, account_id: str) -> Response:
        union, access = union_for_viewer(request, union_pk)
        if not access.can_view_documents:
            refuse(request, union=union, reason="expenditure ledger not visible")
        wanted = _int(request.query_params.get("year"))
        year = wanted if wanted and 2000 <= wanted <= 2100 else expenditure.budget_year_for(union)
        account = Account.objects.filter(pk=account_id, kind=AccountKind.EXPENDITURE).first()
        if account is None:
            raise Http404
        requests = (
            expenditure.requests_of_union(union.pk)
            .filter(year=year, account_id=account.pk)
            .order_by("created_at", "id")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(requests, request, view=self)
        figures = expenditure.line_figures(union.pk, year, account.pk)
        statuses = dict(ExpenditureStatus.choices)
        data = {
            "union": union.name,
            "year": year,
            "account_id": account.pk,
            "account": account.name,
            "budgeted": figures.budgeted,
            "committed": figures.committed,
            "paid": figures.paid,
            "remaining": figures.remaining,
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "requests": [
                {
                    "id": r.pk,
                    "created_at": r.created_at,
                    "activity_date": r.activity_date,
                    "purpose": r.purpose,
                    "drafter": str(r.drafter),
                    "amount": r.amount,
                    "status": str(statuses.get(r.status, r.status)),
                    "voucher_number": r.voucher_number,
                    "paid_on": r.paid_on,
                }
                for r in page
            ],
        }
        return Response(s.LedgerLineSerializer(data).data)
