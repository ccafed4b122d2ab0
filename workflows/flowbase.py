"""What every document flow shares: human nodes built from their step specs, and the callbacks that
only ask the registry (start, a task created, the rules gate).

A flow file is then its chain: ``draft = human(STEPS["draft"]).Next(this.check_rules)``.
"""

from __future__ import annotations

from viewflow import this
from viewflow.workflow import flow

from workflows import memo, registry
from workflows.documents import flow_document
from workflows.models import Resolution
from workflows.nodes import unreachable_view
from workflows.services.drafting import document_put_in_force, process_started
from workflows.services.outcomes import outcome_notify
from workflows.services.workitems import last_outcome, step_holder, work_item_create
from workflows.steps import StepSpec


def human(spec: StepSpec) -> flow.View:
    """A person's or a body's step: Wuyi's own pages act on its task; creating it writes the work item."""
    return (
        flow.View(unreachable_view)
        .Annotation(title=spec.title, description=spec.description or None)
        .Assign(this.task_owner)
        .onCreate(this.task_created)
    )


def approved(step: str):
    """Gate condition: the last decision of ``step`` was an approval."""

    def condition(activation) -> bool:
        return last_outcome(process=activation.process, step=step) == Resolution.APPROVE

    return condition


def restart_at(step: str):
    """Switch condition: the document's return rules restart the chain at ``step``."""

    def condition(activation) -> bool:
        return activation.process.artifact.restart_step == step

    return condition


class DocumentFlowMixin:
    """Callbacks of a document kind's flow; the kind is found in the registry by the flow's class."""

    @classmethod
    def document_kind(cls) -> registry.DocumentKind:
        return registry.kind_of_flow(cls)

    def document(self, activation):
        return flow_document(activation, self.document_kind().process_attr)

    def start_document(self, activation, *, document):
        return process_started(activation=activation, document=document)

    def task_owner(self, activation):
        """Asked by viewflow before it saves a new task: the person who holds it (None: a body's step).
        The holder is kept on the activation for the work item that ``task_created`` writes next."""
        kind = self.document_kind()
        activation.step_holder = step_holder(
            spec=kind.step(activation.flow_task.name),
            task=activation.task,
            document=self.document(activation),
            holder=kind.step_holder,
        )
        return activation.step_holder.user

    def task_created(self, activation):
        kind = self.document_kind()
        document = self.document(activation)
        work_item_create(
            activation=activation,
            spec=kind.step(activation.flow_task.name),
            document=document,
            document_type=kind.document_type,
            chain=kind.chain_of(document),
            steps=kind.steps,
            obligation_code=kind.obligation_code if kind.steps_fit_deadline else "",
            due_at=kind.step_due(document, activation.flow_task.name) if kind.step_due else None,
        )

    def document_in_force(self, activation):
        """The chain's end: the kind's own put-in-force, or just in force with the obligation met."""
        kind = self.document_kind()
        document = self.document(activation)
        if kind.put_in_force is not None:
            kind.put_in_force(document)
        else:
            document_put_in_force(document=document, obligation_code=kind.obligation_code)
        outcome_notify(
            document=document,
            document_type=kind.document_type,
            outcome=kind.end_status,
            occasion=f"in-force:{activation.process.pk}",
        )

    def rules_pass(self, activation) -> bool:
        if memo.rules_passed(activation.process.pk):  # the submit checked them under this lock
            return True
        return not self.document_kind().rule_errors(self.document(activation))


class SolicitingFlowMixin:
    """Callbacks of flows that solicit opinions through a DynamicSplit."""

    def opinion_recipients(self, activation) -> list[dict]:
        return list(activation.process.data.get("opinion_recipients", []))
