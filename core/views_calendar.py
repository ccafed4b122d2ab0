"""Pages of the statutory calendar: a union's obligations of a year and the record that meets one of
them. Each person's iCal feed of deadlines reads work items too: workflows/views_ical.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.files import file_response
from core.forms_calendar import ObligationRecordForm
from core.http import refuse, union_for_viewer
from core.models import Union
from core.obligation_links import met_by_documents
from core.services.statutory import obligation_record, single_person_codes
from core.statutory import STATUS_MEANINGS, Obligation, ObligationCode, ObligationRecord, ObligationStatus

# Obligations whose own flows come later: the union's officers meet them with a record. S1.2 is met
# only by the Party organisation's hearing (workflows.party), S4.3 only by a training record with its
# sign-in (workflows.training), never by ticking a record; S4.1 by a quorate meeting, or by a record
# where the body is a single person (single_person_codes).
RECORDABLE_CODES = frozenset(
    {
        ObligationCode.EXECUTION_ANALYSIS,
        ObligationCode.SATISFACTION_SURVEY,
    }
)
OBLIGATION_ALREADY_MET = gettext_lazy("This obligation was already met on %(date)s.")
YEAR_MIN, YEAR_MAX = 2000, 2100
STATUS_BADGES = {
    ObligationStatus.MET: "text-bg-success",
    ObligationStatus.PENDING: "text-bg-secondary",
    ObligationStatus.LATE: "text-bg-warning",
    ObligationStatus.MISSED: "text-bg-danger",
    ObligationStatus.RETURNED: "text-bg-warning",
}


def status_legend() -> list[tuple[str, str, str]]:
    """(badge class, status, meaning) in the order a year runs: pending, late, missed, returned, met."""
    return [(STATUS_BADGES[s], ObligationStatus(s).label, STATUS_MEANINGS[s]) for s in STATUS_MEANINGS]


def _year_param(value: str | None, default: int) -> int:
    if value and value.isdigit() and YEAR_MIN <= int(value) <= YEAR_MAX:
        return int(value)
    return default


def _met_by(obligation: Obligation, documents: dict[str, tuple[str, str]]) -> dict:
    """What met the obligation, in words and where to read it: "record:12" → the record's author,
    "meeting:5" → a meeting, "budget:3" → the budget's title and page (resolved for the whole page
    at once: core.obligation_links). Never the raw reference."""
    kind, _sep, _ref = obligation.met_by.partition(":")
    if kind == "record":
        # a record is what meets such an obligation, so its first record is the one (annotated)
        url = reverse("obligation_record", args=[obligation.pk])
        if obligation.record_author:
            return {"text": _("record by %(person)s") % {"person": obligation.record_author}, "url": url}
        return {"text": _("record"), "url": url}
    if kind == "meeting":
        return {"text": _("meeting with quorum"), "url": ""}
    if obligation.met_by in documents:
        title, url = documents[obligation.met_by]
        return {"text": title, "url": url}
    return {"text": _("met in Wuyi"), "url": ""}


def _obligation_for_viewer(request, pk: int) -> tuple[Obligation, Union, object]:
    obligation = Obligation.objects.filter(pk=pk).first()
    if obligation is None:
        raise Http404
    union, access = union_for_viewer(request, obligation.union_id)
    if not access.can_view_documents:
        refuse(request, union=union, reason="obligations are for officers and supervisors")
    obligation.union = union
    return obligation, union, access


@login_required
def obligations(request, pk: int):
    """The union's Five Ones obligations of a fiscal year, for its officers and the supervisors above."""
    union, access = union_for_viewer(request, pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason="obligations are for officers and supervisors")
    today = timezone.localdate(timezone=union.tz)
    year = _year_param(request.GET.get("year"), today.year)
    # the records' authors in the obligations' own query, so that the documents that met the others
    # can be read with the query saved (a page costs the same whatever met its obligations)
    records = ObligationRecord.objects.filter(obligation=OuterRef("pk"))
    # never the username (issue 25): a person without a name reads as User.__str__ says
    author = Coalesce(NullIf("recorded_by__full_name", Value("")), Value(_("(name not recorded)")))
    rows = []
    counts = dict.fromkeys(ObligationStatus.values, 0)
    obligations = list(
        Obligation.objects.filter(union=union, fiscal_year=year)
        .order_by("due_date", "code", "period")
        .annotate(
            has_records=Exists(records),
            record_author=Subquery(records.order_by("held_on", "id").annotate(who=author).values("who")[:1]),
        )
    )
    documents = met_by_documents(o.met_by for o in obligations if o.met_on and o.met_by)
    recordable = RECORDABLE_CODES | single_person_codes(union.pk)
    for obligation in obligations:
        status = obligation.status_on(today)
        counts[status] += 1
        rows.append(
            {
                "obligation": obligation,
                "status": status,
                "status_label": ObligationStatus(status).label,
                "badge": STATUS_BADGES[status],
                "met_by": _met_by(obligation, documents) if obligation.met_on else None,
                "recordable": obligation.code in recordable,
                "may_record": access.is_officer
                and obligation.code in recordable
                and obligation.met_on is None,
            }
        )
    return render(
        request,
        "core/obligations.html",
        {
            "union": union,
            "access": access,
            "year": year,
            "this_year": today.year,
            "previous_year": year - 1 if year > YEAR_MIN else None,
            "next_year": year + 1 if year < YEAR_MAX else None,
            "rows": rows,
            "counts": [(ObligationStatus(s).label, STATUS_BADGES[s], n) for s, n in counts.items()],
            "legend": status_legend(),
            "today": today,
        },
    )


@login_required
@require_GET
def obligation_record_file(request, pk: int):
    """A record's attachment, for whoever may read the obligation (its officers, supervisors above)."""
    record = ObligationRecord.objects.filter(pk=pk).exclude(attachment="").first()
    if record is None:
        raise Http404
    _obligation_for_viewer(request, record.obligation_id)
    return file_response(record.attachment, name=record.attachment_name or "attachment")


@login_required
def obligation_record_view(request, pk: int):
    """Officers record what met an obligation whose own flow comes later; supervisors above read."""
    obligation, union, access = _obligation_for_viewer(request, pk)
    if obligation.code not in RECORDABLE_CODES | single_person_codes(obligation.union_id):
        raise Http404("this obligation is met by its own flow, not by a record")
    if request.method == "POST" and not access.is_officer:
        refuse(request, union=union, reason="only the union's officers record obligations", status=403)
    today = timezone.localdate(timezone=union.tz)
    form = ObligationRecordForm(
        request.POST or None,
        request.FILES or None,
        fiscal_year=obligation.fiscal_year,
        today=today,
        initial={"held_on": today},
    )
    problems: list[str] = []
    if request.method == "POST":
        if obligation.met_on is not None:
            problems = [str(OBLIGATION_ALREADY_MET % {"date": obligation.met_on.isoformat()})]
        elif form.is_valid():
            data = form.cleaned_data
            try:
                obligation_record(
                    obligation=obligation,
                    user=request.user,
                    held_on=data["held_on"],
                    note=data["note"],
                    attachment=data["attachment"] or None,
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            else:
                messages.success(
                    request,
                    _("%(obligation)s is recorded as met on %(date)s.")
                    % {"obligation": obligation.words, "date": data["held_on"].isoformat()},
                )
                return redirect(f"{reverse('obligations', args=[union.pk])}?year={obligation.fiscal_year}")
        else:
            problems = [_("Please correct the errors below.")]
    status = obligation.status_on(today)
    return render(
        request,
        "core/obligation_record.html",
        {
            "union": union,
            "obligation": obligation,
            "status": status,
            "status_label": ObligationStatus(status).label,
            "badge": STATUS_BADGES[status],
            "records": obligation.records.select_related("recorded_by").order_by("held_on", "id"),
            "form": form if access.is_officer and obligation.met_on is None else None,
            "problems": problems,
        },
        status=400 if problems else 200,
    )
