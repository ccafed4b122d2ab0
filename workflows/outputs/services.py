"""Making, storing and re-making official outputs.

Each output kind has one builder, registered by the module that knows its records:
``builder(output) -> Rendering`` reads the recorded data the output points at (its document or
meeting, its number, its date) and says which template and stylesheets draw it. ``make_output``
stores the PDF with its SHA-256; ``rebuild`` renders it again from the records, which must give the
same bytes (tests compare the hashes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from workflows.outputs.models import OfficialOutput
from workflows.outputs.pdf import render_pdf


@dataclass(frozen=True)
class Rendering:
    template: str
    context: dict
    stylesheets: tuple[str, ...] = ("sheet.css",)


BUILDERS: dict[str, Callable[[OfficialOutput], Rendering]] = {}


def register_builder(kind: str, builder: Callable[[OfficialOutput], Rendering]) -> None:
    BUILDERS[kind] = builder


def render_output(output: OfficialOutput) -> bytes:
    rendering = BUILDERS[output.kind](output)
    return render_pdf(
        template=rendering.template,
        context={**rendering.context, "output": output},
        identifier=f"wuyi-output-{output.union_id}-{output.pk}",
        made_on=output.made_on,
        stylesheets=rendering.stylesheets,
    )


@transaction.atomic
def make_output(output: OfficialOutput) -> OfficialOutput:
    """Store ``output`` (unsaved, its references, title, number and date set) with its PDF."""
    output.sha256, output.size = "", 0
    output.save()  # the pk goes into the PDF's identifier
    content = render_output(output)
    output.sha256 = hashlib.sha256(content).hexdigest()
    output.size = len(content)
    output.file.save(f"{output.kind}.pdf", ContentFile(content), save=False)
    output.save(update_fields=["sha256", "size", "file"])
    return output


def rebuild(output: OfficialOutput) -> bytes:
    """The output rendered again from the records (the stored file is left as it is)."""
    return render_output(output)
