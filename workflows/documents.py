"""Which model holds each document type (the work item's document_type → model)."""

from __future__ import annotations

from django.apps import apps

from workflows.models import DocumentType

DOCUMENT_MODELS = {
    DocumentType.BUDGET: "budget.Budget",
    DocumentType.ANNUAL_PLAN: "plan.AnnualPlan",
    DocumentType.YEAR_END_SUMMARY: "reports.YearEndSummary",
    DocumentType.WORK_REPORT: "reports.CongressReport",
    DocumentType.FINANCE_REPORT: "reports.CongressReport",
    DocumentType.FINAL_ACCOUNTS: "final_accounts.FinalAccounts",
    DocumentType.BUDGET_ADJUSTMENT: "budget_adjustment.BudgetAdjustment",
}


def document_model(document_type: str):
    return apps.get_model(DOCUMENT_MODELS[document_type])


def document_for(work_item):
    """The work item's document. Within a locked step it is reached through the locked process
    (``workflows.memo``), so the service and viewflow's hooks share one instance."""
    from workflows import memo

    model = document_model(work_item.document_type)
    process = memo.locked_process(work_item.process_id)
    if process is not None:
        return getattr(process, document_attr(model))
    return model.objects.select_related("union").get(pk=work_item.document_id)


def flow_document(activation, attr: str):
    """A flow hook's document: through the process this step locked when there is one (a join's
    activation reads its own copy of the process row), so the hook changes the service's instance."""
    from workflows import memo

    process = memo.locked_process(activation.process.pk) or activation.process
    return getattr(process, attr)


def document_attr(model) -> str:
    """The name of the document's reverse one-to-one on viewflow's Process (``"budget"``, …)."""
    from viewflow.workflow.models import Process

    for relation in Process._meta.related_objects:
        if relation.one_to_one and relation.related_model is model:
            return relation.get_accessor_name()
    raise LookupError(f"{model._meta.label} has no one-to-one to viewflow's Process")


DOCUMENT_URL_NAMES = {
    DocumentType.BUDGET: "budget:detail",
    DocumentType.ANNUAL_PLAN: "plan:detail",
    DocumentType.YEAR_END_SUMMARY: "reports:summary_detail",
    DocumentType.WORK_REPORT: "reports:report_detail",
    DocumentType.FINANCE_REPORT: "reports:report_detail",
    DocumentType.FINAL_ACCOUNTS: "final_accounts:detail",
    DocumentType.BUDGET_ADJUSTMENT: "budget_adjustment:detail",
}


def document_url(document_type: str, document_id: int) -> str:
    from django.urls import reverse

    return reverse(DOCUMENT_URL_NAMES[document_type], args=[document_id])


def document_visible_to(*, user, document_type: str, document) -> bool:
    from workflows.visibility import document_visible

    return document_visible(user=user, union=document.union, process_id=document.process_id)


# Checks run before a body's decision is recorded, outside the decision's transaction, for document
# types that may be decided only within a window (S3.4: a budget adjustment until 30 September). A
# check raises ValidationError to refuse, after writing its own event (which therefore stays).
DECISION_CHECKS = {
    DocumentType.BUDGET_ADJUSTMENT: "workflows.budget_adjustment.services.adjustment_decision_check",
}


def decision_check(*, work_item_ids, actor) -> None:
    from workflows.models import WorkItem

    for item in WorkItem.objects.filter(pk__in=list(work_item_ids), document_type__in=list(DECISION_CHECKS)):
        decision_check_item(work_item=item, actor=actor)


def decision_check_item(*, work_item, actor) -> None:
    """The check of one item already read (a written decision), without reading it again."""
    from django.utils.module_loading import import_string

    if work_item.document_type in DECISION_CHECKS:
        import_string(DECISION_CHECKS[work_item.document_type])(work_item=work_item, actor=actor)
