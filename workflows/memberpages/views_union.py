"""The union's side of the members' pages (S5.4): inviting members (``/unions/<id>/member-invitations/``,
with a printable page of each member's link and code), answering their opinions
(``/unions/<id>/member-opinions/``), and what a union has published, for its seats and the supervisors
above (``/unions/<id>/open-affairs/``).

Inviting and answering need ``can_manage_seats`` (the union committee's chair and the office staff). Anyone
who may not see the union gets 404; those who see it but may not act, 403 (core.http.refuse logs both)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.models import UnionKind

from . import mail, published, selectors, services
from .forms import AnswerForm, InvitationsForm
from .models import MemberOpinion
from .views import apply_errors

OPINIONS_PER_PAGE = 50


def _managed(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not manage the members' pages", status=403)
    return union, access


@never_cache  # the printed page carries the clear links and codes: never kept by a cache
@login_required
def invitations(request, union_pk: int):
    """S5.4: the union's members in force with their invitation state; ticking some and issuing gives the
    printable page (and, if chosen, the e-mails)."""
    union, _access = _managed(request, union_pk)
    form = InvitationsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invitations_issue(
                actor=request.user, union=union, member_ids=form.cleaned_data["members"]
            )
        except PermissionDenied:
            refuse(request, union=union, reason="may not manage the members' pages", status=403)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _printable(request, union, issued, email=form.cleaned_data["email"])
    page = Paginator(selectors.members_to_invite(union), selectors.MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "union": union,
        "page": page,
        "form": form,
        "chosen": set(request.POST.getlist("members")) if form.is_bound else set(),
        "now": timezone.now(),
        "valid_days": selectors.rule_for(union).invitation_valid_days,
    }
    return render(
        request, "workflows/memberpages/invitations.html", context, status=400 if form.is_bound else 200
    )


def _printable(request, union, issued, *, email: bool):
    def link(token: str) -> str:
        return request.build_absolute_uri(reverse("memberpages:join_link", args=[token]))

    sent, failed = mail.invitations_email(issued, link=link) if email else (0, 0)
    if sent:
        messages.success(request, _("%(n)s invitations were sent by e-mail.") % {"n": sent})
    if failed:
        messages.warning(
            request, _("%(n)s e-mails could not be sent: hand those members the printout.") % {"n": failed}
        )
    context = {
        "union": union,
        "rows": [(item, link(item.token), f"{item.code[:4]} {item.code[4:]}") for item in issued],
        "join_url": request.build_absolute_uri(reverse("memberpages:join")),
        "expires": issued[0].invitation.expires_at if issued else None,
    }
    return render(request, "workflows/memberpages/invitations_print.html", context)


def _opinions_page(
    request, union, *, bound: AnswerForm | None = None, bound_for: int | None = None, status=200
):
    page = Paginator(selectors.opinions_of_union(union), OPINIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (
            opinion,
            bound
            if opinion.pk == bound_for
            else (AnswerForm(prefix=f"o{opinion.pk}") if opinion.answered_at is None else None),
        )
        for opinion in page
    ]
    context = {"union": union, "page": page, "rows": rows}
    return render(request, "workflows/memberpages/union_opinions.html", context, status=status)


@login_required
def union_opinions(request, union_pk: int):
    """S5.4: the members' opinions and evaluations, the unanswered first, each with its answer form."""
    union, _access = _managed(request, union_pk)
    return _opinions_page(request, union)


@login_required
@require_POST
def answer(request, pk: int):
    opinion = MemberOpinion.objects.filter(pk=pk).select_related("union").first()
    if opinion is None:
        raise Http404
    union, _access = _managed(request, opinion.union_id)
    form = AnswerForm(request.POST, prefix=f"o{opinion.pk}")
    if form.is_valid():
        try:
            services.opinion_answer(
                actor=request.user,
                opinion=opinion,
                answer=form.cleaned_data["answer"],
                public=form.cleaned_data["way"] == "public",
            )
        except PermissionDenied:
            refuse(request, union=union, reason="may not manage the members' pages", status=403)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The answer is saved; the member is told."))
            return redirect("memberpages:union_opinions", union.pk)
    return _opinions_page(request, union, bound=form, bound_for=opinion.pk, status=400)


@login_required
def union_open_affairs(request, union_pk: int):
    """S5.4: what the union published to its members and when, for its seats and the supervisors above;
    a supervisor also sees each union below it."""
    union, access = union_for_viewer(request, union_pk)
    below = []
    if access.is_supervisor_here or access.supervised:
        below = list(union.children.exclude(kind=UnionKind.GROUP).order_by("name", "id"))
    found = published.published_by_union([union.pk, *(child.pk for child in below)])
    context = {
        "union": union,
        "own": found[union.pk],
        "below": [(child, found[child.pk]) for child in below],
    }
    return render(request, "workflows/memberpages/published.html", context)
