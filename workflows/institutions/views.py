"""The rules pages (S4.1, S5.3): the union's page of every type (in force, on its way, missing); a new
version started from the type's template; the rules' page with its chain, its text and its versions;
change, send, withdraw. The approving body decides on the shared meeting page, as every body step.

Who reads: every seat holder of the union and the supervisors above (union_access(...).can_view), and the
document's participants. Who drafts: the union's office staff and its chair (services.drafts). Anyone
who may not see the union gets 404; those who see it but may not act get 403 (core.http.refuse logs both).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access
from workflows import errors as spine_errors
from workflows.document_pages import document_action, document_withdraw_action, trail_context
from workflows.expenditure.selectors import thresholds_for
from workflows.expenditure.standards import standards_for
from workflows.models import DocumentType
from workflows.services.drafting import editable_by
from workflows.services.workitems import DocumentBusy
from workflows.visibility import document_visible

from . import selectors, services
from .forms import RulesForm
from .models import RulesDocument, RulesType, body_needed

DETAIL = "institutions:detail"
FORM = "workflows/institutions/form.html"
# the rules' own event verbs, in the history's words
VERB_LABELS = {
    "created": gettext_lazy("started a new version"),
    "changed": gettext_lazy("changed the text"),
    "superseded": gettext_lazy("superseded by a newer version"),
}


def _viewed(request, pk: int) -> tuple[RulesDocument, UnionAccess]:
    document = (
        RulesDocument.objects.select_related("union", "drafter", "meeting__body", "superseded_by")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    access = union_access(user=request.user, union=document.union)
    if not (
        access.can_view
        or document_visible(user=request.user, union=document.union, process_id=document.process_id)
    ):
        refuse(request, union=document.union, reason="rules not visible")
    return document, access


def _apply(form, exc: ValidationError) -> None:
    """The service's refusal beside the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, problems in exc.error_dict.items():
            form.add_error(name if name in form.fields and name != "rules_type" else None, problems)
    else:
        form.add_error(None, exc)


# --- the union's page ---------------------------------------------------------------------------------


@login_required
def overview(request, union_pk: int):
    """Every type at the union: the version in force (approved on, by which meeting), the one on its way,
    missing, or not needed (the union has no such body); the superseded versions stay readable."""
    union, access = union_for_viewer(request, union_pk)
    context = {
        "union": union,
        "access": access,
        "rows": selectors.type_rows(union),
        "can_draft": services.drafts(access),
    }
    return render(request, "workflows/institutions/overview.html", context)


# --- a new version, changes ---------------------------------------------------------------------------


def _form_page(
    request, *, union, form: RulesForm, rules_type: str, document=None, from_template=False, status=200
):
    approver = selectors.approving_body(union=union, rules_type=rules_type) if rules_type else None
    context = {
        "union": union,
        "form": form,
        "document": document,
        "type_label": RulesType(rules_type).label if rules_type in RulesType.values else "",
        "approver": approver,
        "single_person": approver is not None and approver.kind != body_needed(rules_type),
        # a new version's text is the one in force unless started from the template
        "in_force": None if document or from_template else selectors.rules_in_force(union).get(rules_type),
    }
    return render(request, FORM, context, status=status)


@login_required
def rules_new(request, union_pk: int):
    """A new version of one type (``?type=``), its text from the version in force, or from the shipped
    template for the first version or when asked (``?from=template``)."""
    union, access = union_for_viewer(request, union_pk)
    if not services.drafts(access):
        refuse(request, union=union, reason="may not draft rules", status=403)
    if request.method != "POST":
        rules_type = request.GET.get("type", "")
        if rules_type not in RulesType.values:
            return redirect("institutions:overview", union.pk)
        from_template = request.GET.get("from") == "template"
        title, text = services.starting_text(union=union, rules_type=rules_type, from_template=from_template)
        form = RulesForm(initial={"rules_type": rules_type, "title": title, "text": text})
        return _form_page(request, union=union, form=form, rules_type=rules_type, from_template=from_template)
    form = RulesForm(request.POST)
    rules_type = request.POST.get("rules_type", "")
    if form.is_valid():
        try:
            document = services.rules_create(actor=request.user, union=union, **form.cleaned_data)
        except PermissionDenied:
            refuse(request, union=union, reason="may not draft rules", status=403)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The new version was saved as a draft. Check it, then send it."))
            return redirect(DETAIL, pk=document.pk)
    return _form_page(request, union=union, form=form, rules_type=rules_type, status=400)


@login_required
def rules_edit(request, pk: int):
    document, _access = _viewed(request, pk)
    if not editable_by(document=document, user=request.user):
        refuse(request, union=document.union, reason="may not change rules", status=403)
    initial = {"rules_type": document.rules_type, "title": document.title, "text": document.text}
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rules_update(
                actor=request.user, document=document, title=data["title"], text=data["text"]
            )
        except PermissionDenied:
            refuse(request, union=document.union, reason="may not change rules", status=403)
        except ValidationError as exc:
            _apply(form, exc)
        except DocumentBusy:
            form.add_error(None, spine_errors.LOCKED)
        else:
            messages.success(request, _("The rules were saved."))
            return redirect(DETAIL, pk=document.pk)
    status = 400 if form.is_bound else 200
    return _form_page(
        request,
        union=document.union,
        form=form,
        rules_type=document.rules_type,
        document=document,
        status=status,
    )


@login_required
@require_POST
def rules_submit_view(request, pk: int):
    document, _access = _viewed(request, pk)
    return document_action(
        request,
        document=document,
        call=lambda: services.rules_submit(actor=request.user, document=document),
        done=_("The rules were sent to the body that approves them."),
        detail_url=DETAIL,
        refusal="may not send rules",
    )


@login_required
@require_POST
def rules_withdraw_view(request, pk: int):
    document, _access = _viewed(request, pk)
    return document_withdraw_action(
        request,
        document=document,
        call=lambda: services.rules_withdraw(
            actor=request.user, document=document, reason=request.POST.get("reason", "")
        ),
        done=_("The new version was withdrawn; the version in force stays as it is."),
        detail_url=DETAIL,
        question=_("Withdraw this new version of the rules?"),
        may_withdraw=services.rules_withdrawable,
    )


# --- the rules' page ----------------------------------------------------------------------------------


def _expenditure_context(document: RulesDocument) -> dict:
    """S5.3: the expenditure approval institution carries the routing thresholds and the spending
    standards the expenditure requests are checked against: shown read-only, as the rules data hold them
    today (the administrator changes them in ExpenditureRule and SpendingStandard)."""
    if document.rules_type != RulesType.EXPENDITURE_APPROVAL:
        return {}
    standards = sorted(standards_for(document.union).values(), key=lambda s: (s.name, s.code))
    return {"thresholds": thresholds_for(document.union), "standards": standards}


@login_required
def rules_detail(request, pk: int):
    document, access = _viewed(request, pk)
    context = trail_context(
        request, document=document, document_type=DocumentType.RULES, access=access, verb_labels=VERB_LABELS
    )
    trail = context["trail"]
    user = request.user
    context.update(
        rules=document,
        returned=trail.last_return,
        can_edit=trail.editable_by(user),
        can_withdraw=user.pk == document.drafter_id and services.rules_withdrawable(document),
        versions=selectors.versions_of(document),
        approver_label=document.get_approver_display(),
        single_person=document.approver != body_needed(document.rules_type),
        **_expenditure_context(document),
    )
    return render(request, "workflows/institutions/detail.html", context)
