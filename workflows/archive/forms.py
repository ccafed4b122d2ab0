"""The archive's search form (S5.3): full text, title, document number, year and category."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category
from .selectors import Filters

TEXT = {"class": "form-control form-control-sm"}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Full text"), required=False, max_length=200, widget=forms.TextInput(TEXT))
    title = forms.CharField(label=_("title"), required=False, max_length=200, widget=forms.TextInput(TEXT))
    number = forms.CharField(
        label=_("document number"), required=False, max_length=100, widget=forms.TextInput(TEXT)
    )
    year = forms.IntegerField(
        label=_("year"), required=False, min_value=1949, max_value=2100, widget=forms.NumberInput(TEXT)
    )
    category = forms.ChoiceField(
        label=_("category"),
        required=False,
        choices=[("", _("all categories")), *Category.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            q=data["q"],
            title=data["title"],
            number=data["number"],
            year=data["year"],
            category=data["category"],
        )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=1949, max_value=2100)
