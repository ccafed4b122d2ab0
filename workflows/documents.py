"""Which model holds each document type (the work item's document_type → model)."""

from __future__ import annotations

from django.apps import apps

from workflows.models import DocumentType

DOCUMENT_MODELS = {
    DocumentType.BUDGET: "budget.Budget",
}


def document_model(document_type: str):
    return apps.get_model(DOCUMENT_MODELS[document_type])


def document_for(work_item):
    return document_model(work_item.document_type).objects.get(pk=work_item.document_id)
