"""The final accounts as a document kind (S3.5): registered from FinalAccountsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows import errors
from workflows.models import DocumentType
from workflows.registry import DocumentKind

from .flows import CHAIN, STEPS, FinalAccountsFlow
from .services import final_accounts_put_in_force, final_accounts_rule_errors


def _agenda_problem(item, title: str) -> str | None:
    """S3.5: the congress approves the final accounts through the report on budget and final accounts
    that binds them with next year's budget, never on their own."""
    if item.step == "congress_ratification":
        return str(errors.FINAL_ACCOUNTS_THROUGH_REPORT % {"document": title})
    return None


KIND = DocumentKind(
    document_type=DocumentType.FINAL_ACCOUNTS,
    label=_("final accounts"),
    model="final_accounts.FinalAccounts",
    flow=FinalAccountsFlow,
    steps=STEPS,
    chain=tuple(CHAIN),
    urls="workflows.final_accounts.urls",
    detail_url="final_accounts:detail",
    obligation_code="S3.5",
    rule_errors=lambda final_accounts: final_accounts_rule_errors(final_accounts=final_accounts),
    put_in_force=lambda final_accounts: final_accounts_put_in_force(final_accounts=final_accounts),
    agenda_problem=_agenda_problem,
)

KINDS = [KIND]
