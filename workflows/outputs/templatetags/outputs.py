from django import template

from workflows.outputs.models import OfficialOutput

register = template.Library()


@register.simple_tag
def document_outputs(document_type: str, document) -> list[OfficialOutput]:
    """The PDFs made from a document, newest first (the page that calls it has checked the right)."""
    return list(
        OfficialOutput.objects.filter(document_type=document_type, document_id=document.pk).order_by(
            "kind", "-made_at"
        )
    )
