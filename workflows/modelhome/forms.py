"""Reading what was typed on the Model Workers' Home pages (S5.2): the self-evaluation (one row per
criterion) and the standard's edit page (one row per dimension and criterion). Fields are named
``<field>-<id>`` so that a page with any number of criteria is one form; what was typed is kept to show
it again beside a refusal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EvidenceSource, Level

NOT_A_NUMBER = _("“%(value)s” is not a number.")


def score_entries(post, criterion_ids: list[int]) -> dict[int, dict]:
    """The self-evaluation's rows as services.scores_save takes them."""
    return {
        cid: {
            "self_score": post.get(f"score-{cid}", "").strip(),
            "note": post.get(f"note-{cid}", ""),
            "evidence": post.get(f"evidence-{cid}", ""),
            "plan_items": [v for v in post.getlist(f"plan-{cid}") if v.isdigit()],
        }
        for cid in criterion_ids
    }


def _decimal(raw: str, problems: list, *, blank_ok: bool = False) -> Decimal | None:
    raw = (raw or "").strip()
    if raw == "" and blank_ok:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problems.append(NOT_A_NUMBER % {"value": raw})
        return None
    return value


def standard_changes(post, dimension_ids: list[int], criterion_ids: list[int]):
    """(head, dimensions, criteria, problems) for services.standard_update from the edit page."""
    problems: list = []
    head = {"title": post.get("title", "").strip(), "source": post.get("source", "").strip()}
    pass_score = _decimal(post.get("pass_score", ""), problems)
    if pass_score is not None:
        head["pass_score"] = pass_score
    every = post.get("reexamine_every_years", "").strip()
    if every.isdigit():
        head["reexamine_every_years"] = int(every)
    else:
        problems.append(NOT_A_NUMBER % {"value": every})
    dimensions = {}
    for did in dimension_ids:
        weight = _decimal(post.get(f"dweight-{did}", ""), problems)
        dimensions[did] = {"name": post.get(f"dname-{did}", "").strip()}
        if weight is not None:
            dimensions[did]["weight"] = weight
    criteria = {}
    for cid in criterion_ids:
        source = post.get(f"csource-{cid}", "")
        criteria[cid] = {
            "text": post.get(f"ctext-{cid}", "").strip(),
            "how_evidenced": post.get(f"chow-{cid}", "").strip(),
            "evidence_required": post.get(f"crequired-{cid}") == "on",
            "evidence_source": source if source in EvidenceSource.values else EvidenceSource.MANUAL,
            "threshold_pct": _decimal(post.get(f"cthreshold-{cid}", ""), problems, blank_ok=True),
        }
        points = _decimal(post.get(f"cpoints-{cid}", ""), problems)
        if points is not None:
            criteria[cid]["points"] = points
    return head, dimensions, criteria, problems


class ApplyForm(forms.Form):
    level_sought = forms.ChoiceField(label=_("level sought"), choices=Level.choices, initial=Level.PROVINCIAL)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            ("recommended", _("recommend to the provincial organs union")),
            ("returned", _("return with opinions")),
        ],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label=_("opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EvaluateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("awarded", _("award the title")), ("not_awarded", _("not awarded"))],
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(label=_("level"), choices=[("", "—"), *Level.choices], required=False)
    opinion = forms.CharField(label=_("opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
