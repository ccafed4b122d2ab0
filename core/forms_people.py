"""The people picker as a form field: a search box that lists the people an action allows (htmx asks
core.views_people as one types), each a radio button (or a check box, for several people) showing the
name, union and role. What is posted is the chosen person's id; the field accepts only the people of
its ``PeopleScope``.

Without JavaScript the form still works: the search box is posted with the form, and the field takes
the one allowed person who matches what was typed; when several match, the page comes back with them
listed to choose from (and when nobody does, says so), keeping everything else that was typed.
``browse`` pickers (the action pages, where the circle is small) list the first people at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from core import errors
from core.models import User
from core.people import MAX_QUERY, MAX_RESULTS, PeopleScope, PersonRow, people_rows, people_search
from core.pinyin import query_key

NOT_ALLOWED = "not_allowed"
# several people typed into one box of a field for several people: "钟红艳，王伟; zhy"
_TERMS = re.compile(r"[,，、;；]+")


@dataclass(frozen=True)
class Picked:
    """What a picker posted: the ids chosen and the text left in its search box."""

    ids: tuple[str, ...] = ()
    q: str = ""


def _picked(value) -> Picked:
    if isinstance(value, Picked):
        return value
    if value in (None, ""):
        return Picked()
    values = value if isinstance(value, (list, tuple)) else [value]
    return Picked(ids=tuple(str(v.pk if isinstance(v, User) else v) for v in values if v not in (None, "")))


def _int_ids(ids: tuple[str, ...]) -> list[int] | None:
    """The ids as numbers, or None when one is not a number (a forged post)."""
    return [int(i) for i in ids] if all(i.isdigit() and len(i) < 19 for i in ids) else None


def _terms(q: str, multiple: bool) -> list[str]:
    if not q:
        return []
    return [t.strip() for t in _TERMS.split(q) if t.strip()] if multiple else [q]


class PersonPicker(forms.Widget):
    template_name = "core/people/_picker.html"

    def __init__(self, *, action: str, multiple: bool = False, browse: bool = False, attrs=None):
        super().__init__(attrs)
        self.action = action
        self.multiple = multiple
        self.browse = browse
        self.scope = PeopleScope(allowed=User.objects.none())
        self.ref = ""
        self.known: dict[int, PersonRow] = {}  # rows read already (a form with many pickers reads once)

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.known = {}  # a form's rows are its own (Widget.__deepcopy__ copies the rest shallowly)
        return copied

    def value_from_datadict(self, data, files, name):
        ids = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        q = str(data.get(f"{name}_q") or "").strip()[:MAX_QUERY]
        return Picked(ids=tuple(str(i) for i in ids if i not in (None, "")), q=q)

    def value_omitted_from_data(self, data, files, name):
        return False

    def search_url(self, name: str) -> str:
        params = {"for": self.action, "ref": self.ref, "name": name}
        if self.multiple:
            params["multiple"] = "1"
        return f"{reverse('people_search')}?{urlencode(params)}"

    def chosen_rows(self, picked: Picked) -> list[PersonRow]:
        ids = _int_ids(picked.ids) or []
        missing = [pk for pk in ids if pk not in self.known]
        if missing:
            self.known.update({row.pk: row for row in people_rows(ids=missing, scope=self.scope)})
        return [self.known[pk] for pk in dict.fromkeys(ids) if pk in self.known]

    def get_context(self, name, value, attrs):
        picked = _picked(value)
        # for one person, what was typed replaces the choice (PersonField.clean does the same)
        chosen = self.chosen_rows(picked) if self.multiple or not picked.q else []
        chosen_ids = [row.pk for row in chosen]
        matches = None
        if picked.q:
            matches = []
            for term in _terms(picked.q, self.multiple):
                matches += people_search(q=term, scope=self.scope, exclude=chosen_ids)
            matches = list({row.pk: row for row in matches}.values())[:MAX_RESULTS]
        elif self.browse and not chosen:
            matches = people_search(q="", scope=self.scope)
        attrs = self.build_attrs(self.attrs, attrs)
        return {
            "widget": self,
            "name": name,
            "id": attrs.get("id") or f"id_{name}",
            "q": picked.q,
            "chosen": chosen,
            "matches": matches,
            "multiple": self.multiple,
            "url": self.search_url(name),
            "invalid": bool(attrs.get("aria-invalid")),
        }

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (templates/core/people/), not the form renderer's own.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def id_for_label(self, id_):
        return id_


class PersonField(forms.Field):
    """One person of the scope. Cleans to a User."""

    multiple = False
    # a form may say whom its field takes in its own words (core.forms.SeatForm)
    default_error_messages = {NOT_ALLOWED: errors.PERSON_NOT_ALLOWED}

    def __init__(self, *, action: str, browse: bool = False, **kwargs):
        kwargs.setdefault("widget", PersonPicker(action=action, multiple=self.multiple, browse=browse))
        super().__init__(**kwargs)

    def set_scope(self, scope: PeopleScope, *, ref: str = "", known: dict[int, PersonRow] | None = None):
        """The people this field accepts, and the object (``ref``) on which the search endpoint checks
        the viewer."""
        self.scope = scope
        self.widget.scope = scope
        self.widget.ref = ref
        if known:
            self.widget.known.update(known)

    @property
    def scope(self) -> PeopleScope:
        return self.widget.scope

    @scope.setter
    def scope(self, value: PeopleScope) -> None:
        self.widget.scope = value

    def clean(self, value):
        picked = _picked(value)
        people: list[User] = []
        if picked.ids and (self.multiple or not picked.q):
            people = self._allowed(picked.ids)
        people += [p for term in _terms(picked.q, self.multiple) for p in self._resolve(term)]
        people = list({p.pk: p for p in people}.values())
        if not people and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if self.multiple:
            return people
        return people[-1] if people else None

    def _allowed(self, ids: tuple[str, ...]) -> list[User]:
        numbers = _int_ids(ids)
        known = self.widget.known  # rows the form read in its scope already: allowed, no query
        if numbers and all(pk in known for pk in numbers):
            return [known[pk].person for pk in dict.fromkeys(numbers)]
        found = (
            {p.pk: p for p in self.scope.allowed.filter(pk__in=numbers, is_active=True)} if numbers else {}
        )
        if numbers is None or len(found) != len(set(numbers)):
            raise ValidationError(self.error_messages[NOT_ALLOWED], code=NOT_ALLOWED)
        return [found[pk] for pk in dict.fromkeys(numbers)]

    def _resolve(self, term: str) -> list[User]:
        """What was typed without choosing (a browser without script): the one allowed person it names."""
        rows = people_search(q=term, scope=self.scope, limit=MAX_RESULTS + 1)
        key = query_key(term)
        exact = [
            r
            for r in rows
            if r.person.full_name == term or (key and key in (r.person.name_pinyin, r.person.name_initials))
        ]
        if len(rows) == 1:
            return [rows[0].person]
        if len(exact) == 1:
            return [exact[0].person]
        if not rows:
            raise ValidationError(errors.PERSON_NO_MATCH, code="no_match", params={"value": term})
        raise ValidationError(errors.PERSON_SEVERAL_MATCH, code="several", params={"value": term})


class PeopleField(PersonField):
    """Several people of the scope. Cleans to a list of Users (in the order chosen)."""

    multiple = True

    def clean(self, value):
        picked = _picked(value)
        problems = []
        people: list[User] = []
        if picked.ids:
            people = self._allowed(picked.ids)
        for term in _terms(picked.q, True):
            try:
                people += self._resolve(term)
            except ValidationError as exc:
                problems.append(exc)
        if problems:
            raise ValidationError(problems)
        people = list({p.pk: p for p in people}.values())
        if not people and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return people
