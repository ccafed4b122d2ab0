"""The forms of S1.3's pages: a request or report as the office drafts it, how a reply was carried
out, and a union's own row of the catalogue. The services check the rules (一文一事 among them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.budget.forms import bootstrap
from workflows.forms import CHECK

from . import selectors
from .models import CatalogueItem, Matter, RequestKind


class CatalogueChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CatalogueItem) -> str:
        return obj.title


class RequestForm(forms.Form):
    """A new request or report (the catalogue's items to tick, a title, the text); once created only
    the title and the text change (``catalogue`` None)."""

    items = CatalogueChoiceField(
        label=_("Matters this request (report) concerns"),
        queryset=CatalogueItem.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs=dict(CHECK)),
        # none ticked reaches the service, which says it in the rule's words (S1.3)
        required=False,
        help_text=_("One matter per document: tick one item. The kind (request or report) follows from it."),
    )
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args, catalogue: list[CatalogueItem] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.covered: dict[int, str] = {}
        if catalogue is None:
            del self.fields["items"]
        else:
            # the union's catalogue in use (nearest row wins), nothing else: a forged id is refused
            self.fields["items"].queryset = CatalogueItem.objects.filter(pk__in=[i.pk for i in catalogue])
            notes = {item.pk: selectors.covered_note(item.matter) for item in catalogue}
            self.covered = {pk: note for pk, note in notes.items() if note}
        bootstrap(self)

    def item_choices(self):
        """(checkbox, catalogue item, the note of a chain that already asks the Party organisation on
        its matter) for each item offered."""
        for choice in self["items"]:
            item = choice.data["value"].instance
            yield choice, item, self.covered.get(item.pk, "")


class CarriedOutForm(forms.Form):
    text = forms.CharField(
        label=_("how it was carried out"),
        # an empty text reaches the service, which says what is missing
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done following the reply and its instructions."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CatalogueItemForm(forms.Form):
    """The union's own row for one matter (catalogue.catalogue_item_override)."""

    matter = forms.ChoiceField(label=_("matter"), choices=Matter.choices)
    title = forms.CharField(label=_("item"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=RequestKind.choices)
    procedure = forms.CharField(
        label=_("procedure"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    template = forms.CharField(
        label=_("form (template)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    replier = forms.CharField(label=_("who replies"), max_length=100)
    reply_days = forms.IntegerField(label=_("reply time limit (days)"), min_value=1, max_value=90)
    active = forms.BooleanField(label=_("in use"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    @staticmethod
    def initial_for(item: CatalogueItem | None, matter: str) -> dict:
        """The form opened on a matter: the row the union's catalogue shows for it, if any."""
        if item is None:
            return {"matter": matter, "title": Matter(matter).label, "active": True}
        fields = ("title", "kind", "procedure", "template", "replier", "reply_days", "active")
        return {"matter": matter, **{name: getattr(item, name) for name in fields}}
