"""User-facing error messages of the approval spine and the budget, in one place for tests."""

from django.utils.translation import gettext_lazy as _

from core import errors as core_errors

ATTACHMENT_TYPE = core_errors.UPLOAD_TYPE
ATTACHMENT_SIZE = core_errors.UPLOAD_SIZE
ATTACHMENT_CONTENT = core_errors.UPLOAD_CONTENT
NOT_YOUR_TASK = _("This task is not yours to act on.")
TASK_CLOSED = _("This step has already been completed or withdrawn.")
LOCKED = _("Someone else is acting on this document right now. Please try again in a moment.")
RETURN_NEEDS_REASON = _("A return needs written opinions: say what must change.")
BUDGET_DEFICIT = _(
    "Total expenditure %(expenditure)s exceeds total income %(income)s plus the funds rolled over "
    "%(carryover)s by %(gap)s yuan. Reduce expenditure or correct the income."
)
BUDGET_NO_LINES = _("The budget has no lines yet: enter income and expenditure on the chart of accounts.")
BUDGET_UNKNOWN_ACCOUNT = _("Account code %(code)s is not on the 2021 chart of accounts.")
BUDGET_ACCOUNT_NOT_POSTABLE = _("Account %(code)s has sub-accounts; enter the amount on one of them.")
BUDGET_ACCOUNT_WRONG_KIND = _("Account %(code)s is not an income or expenditure account.")
BUDGET_DUPLICATE_ACCOUNT = _("Account %(code)s appears twice; enter each account once.")
BUDGET_EXISTS = _("%(union)s already has a budget for %(year)s (%(status)s); a second one is refused.")
BUDGET_NOT_EDITABLE = _("The budget can be edited only by its drafter while it is with the drafter.")
BUDGET_NOT_WITHDRAWABLE = _("The budget can no longer be withdrawn: a body has already decided on it.")
AMOUNT_INVALID = _(
    "“%(value)s” is not an amount in yuan: use digits with at most two decimals, e.g. 12000.50."
)
AMOUNT_NEGATIVE = _("Amounts may not be negative.")
AMOUNT_TOO_MANY_DECIMALS = _("Amounts have at most two decimals (fen).")
AMOUNT_TOO_LARGE = _("Amounts must be below 1,000,000,000,000 yuan.")
OPINION_NO_RECIPIENTS = _("Choose at least one recipient for the opinions.")
OPINION_DUE_IN_PAST = _("The due date for opinions must be in the future.")
OPINION_EMPTY = _("Write your opinion, or choose “no opinion”.")
# The recipient's own answer arrived first (another tab, a double click): when, in local time.
OPINION_ALREADY_SUBMITTED = _("You already submitted this opinion at %(time)s.")
# A member of the body that holds the step, who does not record its decisions (a Party organisation's
# member who is not its secretary): told who records, not that the task is someone else's.
NOT_A_RECORDER = _(
    "You are a member of the %(body)s, but its decisions are recorded by its chair, director or "
    "secretary, or by the union's office staff."
)
MEETING_NOT_RECORDER = _(
    "Only the body's chair, director or secretary, or the union's office staff, may record its meetings."
)
MEETING_ATTENDEE_NO_SEAT = _("%(names)s held no seat in the %(body)s on %(date)s.")
MEETING_NO_ITEMS = _("Choose at least one pending document for the agenda.")
MEMBER_CONGRESS_PRESENT_MISSING = _("Enter how many members attended the member congress.")
MEMBER_CONGRESS_PRESENT_TOO_MANY = _(
    "The member congress has %(size)s members on that day: no more can have attended."
)
MEETING_NO_TOPICS = _(
    "With no document on the agenda, write in the minutes what the committee discussed: a regular "
    "meeting is recorded by its topics."
)
MEETING_ITEM_NOT_PENDING = _(
    "“%(document)s” is no longer pending before this body (withdrawn or decided meanwhile). "
    "Drop it from the agenda and record again."
)
MEETING_ITEM_FOREIGN = _("An agenda item is not a pending document of this body.")
MEETING_VOTES_EXCEED = _("“%(document)s”: %(votes)s votes were cast but only %(attendees)s members attended.")
MEETING_IN_FUTURE = _("A meeting cannot be recorded before it is held.")
MEETING_NO_QUORUM = _(
    "No quorum: %(attendees)s of %(seats)s members attended (%(needed)s needed). "
    "The meeting is recorded but decides nothing."
)
MEETING_NO_QUORUM_CADENCE = _("Without quorum it does not count as the period's regular meeting either.")
DECISION_WRONG_MODE = _("The %(body)s decides by %(mode)s.")
ALREADY_HANDLED = _("Already handled by %(who)s at %(when)s.")
CLAIM_NO_SEAT = _("You hold no seat in force in the %(body)s, so you cannot take its tasks.")
CLAIM_PERSON_TASK = _("This is a person's task; only a body's task can be claimed or released.")
RELEASE_NOT_YOURS = _("Only the person who claimed this task can release it.")
TRANSFER_OUTSIDE_BODY = _(
    "%(person)s does not record for the %(body)s: transfer only to its chair, director or secretary."
)
TRANSFER_TO_SELF = _("The task is already yours.")
SIGNER_SELF = _("You cannot add yourself as a signer.")
SIGNER_NOT_VISIBLE = _(
    "%(person)s cannot see this union's documents; choose a signer of this union or the unions above it."
)
SIGNER_BLOCKED = _("The step is waiting for an added signer.")
DELEGATE_SELF = _("You cannot delegate to yourself.")
DELEGATE_NOT_VISIBLE = _("%(person)s holds no seat in a union you work in; choose a colleague.")
DELEGATE_DATES = _("The delegation must end on or after the day it starts.")
DELEGATE_PAST = _("A delegation cannot end in the past.")
COMMENT_EMPTY = _("Write something before sending the comment.")
# A copy opens the document: only this union and those below it, and the supervisors above it.
COPY_OUTSIDE = _(
    "%(person)s holds no seat in this union or a union below it and is no supervisor of a union above "
    "it, so cannot be copied."
)
PLAN_AREA_EMPTY = _("The area “%(area)s” has no task; add tasks or write why it is left empty.")
PLAN_EXISTS = _("%(union)s already has an annual plan for %(year)s (%(status)s); a second one is refused.")
PLAN_NOT_EDITABLE = _("The plan can be edited only by its drafter while it is with the drafter.")
PLAN_NOT_WITHDRAWABLE = _("The plan can no longer be withdrawn: a body has already decided on it.")
PLAN_UNKNOWN_AREA = _("Unknown duty area: %(area)s.")
PLAN_ITEM_DATES = _("“%(title)s”: the timetable must end on or after it starts.")
PLAN_ITEM_TITLE = _("Every task needs a title.")
PLAN_NOT_IN_FORCE = _("Progress is recorded on the tasks of the plan in force.")
SUMMARY_EMPTY = _("Write the summary before reporting it.")
SUMMARY_EXISTS = _("%(union)s already has a year-end summary for %(year)s.")
REPORT_EXISTS = _("%(union)s already has a work report for %(year)s.")
REPORT_NEEDS_SUMMARY = _(
    "The work report merges the %(year)s summary acknowledged by the Party organisation; it is not there yet."
)
REPORT_NEEDS_PLAN = _("The work report merges the %(year)s plan; start that plan first.")
REPORT_PLAN_NOT_BEFORE_CONGRESS = _(
    "The %(year)s plan is not yet before the congress (its earlier steps come first); "
    "the congress decides both together."
)
REPORT_EMPTY = _("Write the report before sending it to the congress.")
# S2.3, S3.5: a document a report binds is decided with the report; the message names that report.
REPORT_BOUND_ON_AGENDA = _(
    "“%(document)s” is decided through “%(report)s” on the agenda; take it off the agenda."
)
DECIDED_THROUGH_REPORT = _(
    "“%(document)s” is decided through “%(report)s”, which is before this body: put that report on the "
    "agenda instead."
)
FINAL_ACCOUNTS_THROUGH_REPORT = _(
    "The congress approves “%(document)s” through the report on budget and final accounts; "
    "put that report on the agenda instead."
)
SUBMISSION_NOT_SUPERVISOR = _("Only a supervisor of the receiving union acknowledges or returns a report.")
SUBMISSION_CLOSED = _("This submission was already acknowledged or returned.")
REPORT_NOT_RETURNED = _("Only a report returned for correction can be resubmitted.")
PLAN_REVIEW_EXISTS = _("The review of %(period)s is already recorded.")
BULK_NOTHING_TICKED = _(
    "Tick at least one opinion request or added-signer step of yours to agree to them together."
)
