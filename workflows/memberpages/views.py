"""The members' own pages (S5.4) and how a member gets in.

``/my-union/``: the member's union's open affairs and their own record; ``/my-union/opinions/``: what they
sent the union and its answers. Both ask on every request whether the signed-in person is a member in force
today (S5.3: leaving the union ends the pages the same day); anyone else gets 404. Nothing here grants a
seat or a permission row: the rest of Wuyi keeps checking seats.

``/join/<token>/`` (the link) and ``/join/`` (the member number and the code) let a member with an
invitation set a password; they open only to visitors who are signed out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.http import refuse

from . import errors, published, selectors, services
from .forms import CodeForm, OpinionForm, PasswordForm

JOIN = "workflows/memberpages/join.html"
# the session's backend after joining: the member's next visits find the account by its id
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def apply_errors(form, exc: ValidationError) -> None:
    """The service's refusal beside the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, problems in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc)


def _membership(request):
    member = selectors.active_membership(user=request.user)
    if member is None:
        refuse(request, union=None, reason="no membership in force", status=404)
    return member


@login_required
def home(request):
    """S5.4: the member's union's open affairs and the member's own record."""
    member = _membership(request)
    context = {"member": member, "union": member.union, "affairs": published.open_affairs(member.union_id)}
    return render(request, "workflows/memberpages/home.html", context)


@login_required
def opinions(request):
    """S5.4: the member's opinions and evaluations with the union's answers, and the form to send one."""
    member = _membership(request)
    form = OpinionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_send(member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your opinion is sent to the union."))
            return redirect("memberpages:opinions")
    context = {
        "member": member,
        "union": member.union,
        "form": form,
        "opinions": selectors.opinions_of_member(member),
    }
    return render(
        request, "workflows/memberpages/opinions.html", context, status=400 if form.is_bound else 200
    )


# --- joining --------------------------------------------------------------------------------------------


def _join_page(request, *, status=200, **context):
    return render(request, JOIN, context, status=status)


def _accept(request, invitation, form: PasswordForm):
    """Set the password and sign the member in; None when refused (the errors are on the form)."""
    try:
        user = services.invitation_accept(
            invitation=invitation,
            password=form.cleaned_data["password"],
            password_again=form.cleaned_data["password_again"],
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    login(request, user, backend=SESSION_BACKEND)
    messages.success(
        request,
        _("Welcome, %(name)s. You sign in with your member number from now on.")
        % {"name": invitation.member.name},
    )
    return redirect("memberpages:home")


@never_cache
@sensitive_post_parameters("password", "password_again")
def join_link(request, token: str):
    """S5.4: the one-time link. A used, replaced or expired link is refused, saying why."""
    invitation = selectors.invitation_by_token(token)
    if request.user.is_authenticated:
        if invitation is not None and invitation.account_id == request.user.pk:
            return redirect("memberpages:home")  # the member who just joined, opening the link again
        return _join_page(request, problem=errors.SIGNED_IN, status=403)
    if invitation is None:
        return _join_page(request, problem=errors.LINK_UNKNOWN, status=404)
    problem = services.invitation_problem(invitation)
    if problem:
        return _join_page(request, problem=problem, status=410)
    form = PasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = _accept(request, invitation, form)
        if done is not None:
            return done
    return _join_page(
        request, invitation=invitation, password_form=form, status=400 if form.is_bound else 200
    )


@never_cache
@sensitive_post_parameters("password", "password_again", "code")
def join(request):
    """S5.4: the member number and the code, then the password (the number and the code ride along in
    hidden fields and are checked again with it)."""
    if request.user.is_authenticated:
        return _join_page(request, problem=errors.SIGNED_IN, status=403)
    code_form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return _join_page(request, code_form=code_form)
    if not code_form.is_valid():
        return _join_page(request, code_form=code_form, status=400)
    try:
        invitation = services.invitation_check_code(**code_form.cleaned_data)
    except ValidationError as exc:
        apply_errors(code_form, exc)
        return _join_page(request, code_form=code_form, status=400)
    password_form = PasswordForm(request.POST if request.POST.get("step") == "password" else None)
    if password_form.is_bound and password_form.is_valid():
        done = _accept(request, invitation, password_form)
        if done is not None:
            return done
    return _join_page(
        request,
        invitation=invitation,
        code_form=code_form,
        password_form=password_form,
        status=400 if password_form.is_bound else 200,
    )
