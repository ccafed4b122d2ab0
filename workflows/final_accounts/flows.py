"""The final accounts chain, S3.5: draft → fund audit committee audit (its audit report attached) →
congress approval, decided by the resolution on the report on budget and final accounts that binds
these final accounts with next year's budget (workflows/reports) → approved: the closing balance is
next year's audited carryover. The report's submission upward meets the S3.5 obligation.

The audit committee and the congress may return the final accounts to the drafter; the revision goes
back to the body that returned it, or to the audit committee whenever the actual amounts changed after
the audit (changed figures are audited again before any congress sees them).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.flowbase import DocumentFlowMixin, approved, human, restart_at
from workflows.steps import Actor, StepSpec, steps_by_name

from .models import FinalAccountsStatus

STEPS = steps_by_name(
    StepSpec(
        "draft",
        _("Draft the final accounts"),
        Actor.DRAFTER,
        FinalAccountsStatus.DRAFT,
        14,
        description="编制决算：按预算科目填写实际收支",
    ),
    StepSpec(
        "audit_review",
        _("Fund audit committee audit of the final accounts"),
        BodyKind.AUDIT_COMMITTEE,
        FinalAccountsStatus.AUDIT_REVIEW,
        14,
        description="经费审查委员会审查决算，附审查报告",
    ),
    StepSpec(
        "congress_ratification",
        _("Congress approval (with the report on budget and final accounts)"),
        BodyKind.CONGRESS,
        FinalAccountsStatus.CONGRESS_RATIFICATION,
        30,
        description="并入经费收支预算决算情况报告，会员（代表）大会审议批准",
    ),
    StepSpec(
        "revise",
        _("Revise the returned final accounts"),
        Actor.DRAFTER,
        FinalAccountsStatus.RETURNED,
        7,
        description="按退回意见修改，形成新版本",
    ),
)

# The chain in order (S3.5): the document page's diagram and the order rule.
CHAIN = ["draft", "audit_review", "congress_ratification"]


class FinalAccountsFlow(DocumentFlowMixin, flow.Flow):
    """S3.5: the final accounts' route. Routing only; the work happens in services.py."""

    lock_impl = lock.select_for_update_lock
    process_title = _("Final accounts")

    start = (
        flow.StartHandle(this.start_document).Annotation(title=_("Start the final accounts")).Next(this.draft)
    )
    draft = human(STEPS["draft"]).Next(this.check_rules)
    check_rules = (
        flow.If(this.rules_pass)
        .Annotation(title=_("Check the actual amounts"), description="校验：每个预算科目都有实际数")
        .Then(this.audit_review)
        .Else(this.draft)
    )
    audit_review = human(STEPS["audit_review"]).Next(this.check_audit_review)
    check_audit_review = flow.If(approved("audit_review")).Then(this.audited).Else(this.revise)
    audited = (
        flow.Function(this.record_audit)
        .Annotation(title=_("Audited"), description="审查通过：期末滚存经费为经审计数")
        .Next(this.congress_ratification)
    )
    congress_ratification = human(STEPS["congress_ratification"]).Next(this.check_congress_ratification)
    check_congress_ratification = (
        flow.If(approved("congress_ratification")).Then(this.put_in_force).Else(this.revise)
    )
    revise = human(STEPS["revise"]).Next(this.check_restart)
    check_restart = (
        flow.Switch()
        .Annotation(title=_("Restart where the rules say"))
        .Case(this.congress_ratification, restart_at("congress_ratification"))
        .Default(this.audit_review)
    )
    put_in_force = (
        flow.Function(this.document_in_force)
        .Annotation(title=_("Approved"), description="决算批准：期末滚存经费结转下年")
        .Next(this.end)
    )
    end = flow.End()

    # --- callbacks: thin, the logic lives in services ------------------------------------------

    def record_audit(self, activation):
        from .services import final_accounts_audited  # the services import this flow to start it

        final_accounts_audited(final_accounts=self.document(activation))
