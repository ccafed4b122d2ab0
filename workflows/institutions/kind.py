"""The rules' document kind (S4.1, S5.3), registered from InstitutionsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from workflows.models import DocumentType
from workflows.registry import DocumentKind

from .archive import rules_archive_text
from .flows import STEPS, RulesFlow, chain_for
from .models import RulesType
from .services import agenda_problem, rules_create, rules_put_in_force, starting_text


def create(*, actor, union, year: int | None = None):
    """A new version of the union committee's working rules from its template (the registry's ``create``:
    a kind's document made the same way by every caller that needs one)."""
    title, text = starting_text(union=union, rules_type=RulesType.UNION_COMMITTEE)
    return rules_create(
        actor=actor, union=union, rules_type=RulesType.UNION_COMMITTEE, title=title, text=text
    )


RULES = DocumentKind(
    document_type=DocumentType.RULES,
    label=_("working rules or institution"),
    model="institutions.RulesDocument",
    flow=RulesFlow,
    steps=STEPS,
    chain=("draft", "union_committee_approval"),
    # the pages are included by config/urls.py already (workflows.institutions.urls)
    urls="",
    detail_url="institutions:detail",
    chain_for=chain_for,
    put_in_force=rules_put_in_force,
    agenda_problem=agenda_problem,
    create=create,
    archive_text=rules_archive_text,  # S5.3
    # no dated obligation (S4.1 and S5.3 ask for rules in force, not by a day): selectors.missing_rules
)

KINDS = [RULES]
