"""Forms of the dues pages. They parse what was typed (amounts through workflows.amounts, months as
2026-03); workflows.dues.services decides (a month to come, a member not in the union, a wage missing
under a share of the wage, an amount out of all proportion are refused there)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from workflows.amounts import parse_amount
from workflows.budget.forms import AmountField, bootstrap
from workflows.forms import CHECK

from . import errors
from .models import RateKind
from .services import INHERIT

_MONTH = re.compile(r"(?P<year>[0-9]{4})[-/.年](?P<month>[0-9]{1,2})月?(?:[-/.][0-9]{1,2})?")
_FULL_WIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"－": "-"})


def parse_month(raw: str) -> datetime.date:
    """ "2026-03" (what an <input type="month"> sends), "2026-3", "2026年3月" → 1 March 2026."""
    match = _MONTH.fullmatch((raw or "").strip().translate(_FULL_WIDTH_DIGITS))
    if match is None or not 1 <= int(match["month"]) <= 12 or not 2000 <= int(match["year"]) <= 2100:
        raise ValidationError(errors.MONTH_INVALID, code="invalid")
    return datetime.date(int(match["year"]), int(match["month"]), 1)


class MonthField(forms.CharField):
    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"type": "month", "placeholder": "2026-03", "autocomplete": "off"})

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, datetime.date) else value

    def clean(self, value):
        value = super().clean(value)
        return parse_month(value) if value else None


class SettingsForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("dues are"),
        choices=[
            (INHERIT, _("as the upper-level union or the provincial default sets them")),
            *RateKind.choices,
        ],
        widget=forms.RadioSelect(attrs=dict(CHECK)),
    )
    percent = forms.DecimalField(
        label=_("per cent of the basic wage"), required=False, max_digits=5, decimal_places=2
    )
    fixed_amount = AmountField(label=_("fixed monthly amount (yuan)"), required=False)
    recorded_from = MonthField(
        label=_("dues recorded from (month)"),
        required=False,
        help_text=_("Months before it are never counted as arrears. Empty: from the first month recorded."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


def wage_field_name(member_id: int) -> str:
    return f"wage-{member_id}"


class WagesForm(forms.Form):
    """The month the wages apply from, and one wage box a member (empty: unchanged). Boxes posted for
    members not listed are kept as fields, so that the service refuses them by name of the rule."""

    applies_from = MonthField(label=_("applies from (month)"))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [m.pk for m in members]
        if self.is_bound:
            ids += [int(k[5:]) for k in self.data if k.startswith("wage-") and k[5:].isdigit()]
        for pk in dict.fromkeys(ids):
            self.fields[wage_field_name(pk)] = AmountField(
                label=_("basic wage (yuan a month)"), required=False
            )
        bootstrap(self)

    def wages(self) -> dict[int, Decimal]:
        return {
            int(name[5:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("wage-") and value is not None
        }


@dataclass
class CollectionInput:
    """The month page as posted: members ticked, amounts as typed (kept for the page shown again), the
    amounts parsed (None: the month's dues) and what could not be parsed."""

    ticked: set[int] = field(default_factory=set)
    typed: dict[int, str] = field(default_factory=dict)
    paid: dict[int, Decimal | None] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def collection_from_post(post, names: dict[int, str]) -> CollectionInput:
    """``names``: the month's members by id. "All paid" ticks every one of them."""
    got = CollectionInput()
    for key, value in post.items():
        if key.startswith("amount-") and key[7:].isdigit():
            got.typed[int(key[7:])] = value.strip()
    ticked = {int(v) for v in post.getlist("paid") if v.isdigit()}
    got.ticked = set(names) | ticked if post.get("all_paid") else ticked
    for pk in sorted(got.ticked):
        raw = got.typed.get(pk, "")
        if not raw:
            got.paid[pk] = None
            continue
        try:
            got.paid[pk] = parse_amount(raw)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
            got.problems.append(str(errors.AMOUNT_PROBLEM % {"name": names.get(pk, "—"), "problem": problem}))
    return got
