"""The satisfaction survey's forms (S5.2). The answer form is built from the cycle's questions: one field
``q<question id>`` each, a rating as five large radio buttons, a text as a text area. Whether an answer is
required is checked by the service (``services.clean_answers``), which keys its problems by the same
names, so the page shows each beside its question with every answer kept."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_THRESHOLD, QuestionKind, Rating, SurveyQuestion

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class CycleForm(forms.Form):
    title = forms.CharField(
        label=_("title"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    opens_on = forms.DateField(label=_("opens on"), widget=DATE)
    closes_on = forms.DateField(
        label=_("closes on"), widget=DATE, help_text=_("Answers are taken until the end of this day.")
    )
    threshold_pct = forms.DecimalField(
        label=_("satisfaction threshold (%)"),
        min_value=Decimal("1"),
        max_value=Decimal("100"),
        decimal_places=2,
        initial=DEFAULT_THRESHOLD,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("question"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label=_("kind"), choices=QuestionKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    required = forms.BooleanField(
        label=_("an answer is required"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


QuestionFormSet = forms.formset_factory(QuestionForm, extra=2, max_num=40, absolute_max=40)


def questions_from(formset) -> list[tuple[str, str, bool]]:
    """The questions as typed, in their order; an empty row is left out."""
    return [
        (form.cleaned_data["text"].strip(), form.cleaned_data["kind"], form.cleaned_data["required"])
        for form in formset.forms
        if form.cleaned_data.get("text", "").strip()
    ]


def field_name(question: SurveyQuestion) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One field per question, named ``q<id>``; nothing is required here (the service says which)."""

    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == QuestionKind.RATING:
                field = forms.ChoiceField(
                    label=question.text,
                    choices=Rating.choices,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                )
            else:
                field = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
                )
            self.fields[field_name(question)] = field

    def raw_answers(self) -> dict[int, str]:
        """question id → what was sent (unchecked: the service checks it)."""
        return {q.pk: (self.data.get(field_name(q)) or "") for q in self.questions}

    def rows(self):
        """(question, bound field) in order, for the template."""
        return [(q, self[field_name(q)]) for q in self.questions]


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("the union's reply to the findings"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
    )


class ReissueForm(forms.Form):
    member = forms.TypedChoiceField(
        label=_("member"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, members: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, f"{m.name} ({m.member_number})") for m in members]
