"""Scope crawler (issue 10, "Concurrency and scope"): every URL pattern × every role × the objects of
another union → the number of leaks, which must be 0.

The victim is grassroots union a1 (under department union A), renamed to carry a marker, with one
object of every kind built through the services: budgets at several steps (opinion, audit review
with an added signer, Party approval, in force), a meeting and written decisions, the annual plan
and its tasks, the year-end summary, the work report and its submission upward, final accounts,
the finance report (S3.5), a budget adjustment, a half-year execution analysis, obligations, a group
robot, a seat, a delegation, a notification, and the Party organisation's (S1.2, S1.3): requests for
instructions (draft, awaiting the reply, agreed), hearings (draft, on the agenda with its open step,
heard with an action item). The crawlers hold seats in grassroots union b1 under department union B:
chair, office staff, audit committee member, Party secretary, representative, plain committee member;
plus the supervisor of department B (a sibling of A), the secretary of an organ Party committee (department
B's Party body) that leads b1's Party organisation (S1.1), and a person with no seat at all.

Each URL pattern of the resolver (includes walked recursively) is requested by every role with GET
(pages without kwargs also with ``?union=<victim>``), and with POST, once empty and once with a minimal
body naming the victim's union, work item and notification, its kwargs filled from the victim's
objects. A leak is
- a page that shows the marker (the victim union's name) whatever its status;
- a 2xx answer for a page about one of the victim's objects;
- a POST after which the victim's rows (or any workflow, viewflow or guardian row) differ.
A 302 to the sign-in page, 403, 404 and 405 are refusals; a 3xx elsewhere is followed once and the
page it leads to must not show the marker either.

A URL kwarg the crawler cannot fill fails the test naming the pattern: add the object to ``World``
and its key to ``BY_URL`` / ``BY_NAMESPACE`` / ``BY_KWARG`` below (a new document type: ``DOCUMENTS``).
A registered document kind that declares its ``create`` service needs neither: the crawler makes
one of the victim's through it for the kind's pages (``kind:<type>``).
"""

from __future__ import annotations

import datetime
import string
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.models import Role, Union
from tests import factories
from tests.factories import Cast, UserFactory, give_seat
from tests.scenarios import (
    acknowledged_summary,
    budget_in_force,
    congress_meeting,
    drive,
    final_accounts_audited,
    open_items,
    plan_before_congress,
    submit_draft,
    travel,
)
from workflows import registry
from workflows.models import DocumentType
from workflows.services.drafting import Recipient

MARKER = "甲乙丙机密"  # in the victim union's name: no page shown to the crawlers may contain it

# Patterns not crawled (route prefixes), each with the reason. Everything else is crawled.
SKIP = {
    "admin/": "Django admin: staff only (is_staff) with its own model permissions; no union user is staff",
    "i18n/": "set_language: sets the visitor's own language cookie, about no object",
    "accounts/login/": "the sign-in page, public by design",
    "accounts/logout/": "signs the visitor's own session out",
    "^calendar/": "personal iCal feed: the secret token in the address is the credential (capability URL)",
    "join/<str:token>/": "a member's one-time invitation link (S5.4): the token is the credential",
    "survey/<str:token>/": "a member's one-time survey link (S5.2): the token is the credential",
}

# kwarg → World key, by URL name first, then by URL namespace, then by kwarg name alone.
BY_URL: dict[str, dict[str, str]] = {
    "plan:progress": {"pk": "plan", "item_id": "plan_item"},
    "reports:summary_detail": {"pk": "summary"},
    "reports:summary_edit": {"pk": "summary"},
    "reports:summary_submit": {"pk": "summary"},
    "reports:report_detail": {"pk": "work_report"},
    "reports:report_edit": {"pk": "work_report"},
    "reports:report_submit": {"pk": "work_report"},
    "reports:report_submit_upward": {"pk": "work_report"},
    "reports:report_resubmit": {"pk": "work_report"},
    "reports:acknowledge": {"pk": "submission"},
    "reports:return": {"pk": "submission"},
    "workflows:written_decision": {"item_id": "party_item"},
    "workflows:opinion_answer": {"item_id": "opinion_item"},
    "workflows:signer_answer": {"item_id": "signer_item"},
    "obligations": {"pk": "union"},
    "obligation_record": {"pk": "obligation"},
    "obligation_record_file": {"pk": "obligation_record"},
    "workflows:attachment": {"pk": "attachment"},
    "union_webhooks": {"pk": "union"},
    "union_webhook_toggle": {"pk": "union"},
    "union_detail": {"pk": "union"},
    "seat_add": {"pk": "union"},
    "seat_end": {"pk": "seat"},
    "delegation_revoke": {"pk": "delegation"},
    "oversight:reassign": {"pk": "work_item"},
    "budget_adjustment:new": {"budget_pk": "budget_in_force"},
    "workflows:personal_decision": {"item_id": "holder_item"},
    "expenditure:line_export": {"account_id": "expenditure_line"},
    # S1.2: the hearing's pages, the Party organisation's step on it and an action item it decided
    "party:hearing_detail": {"pk": "hearing"},
    "party:hearing_edit": {"pk": "hearing"},
    "party:hearing_submit": {"pk": "hearing"},
    "party:hearing_withdraw": {"pk": "hearing"},
    "party:hearing_record": {"item_id": "hearing_item"},
    "party:action_item_close": {"pk": "action_item"},
    # S4.1: the committees' terms with a re-election on record, and the form to record the next one
    "roster:reelections": {"union_pk": "reelection_union"},
    "roster:reelection_new": {"union_pk": "reelection_union"},
    # S4.4: a contact's log entry and a reader the chair named
    "contacts:close_follow_up": {"pk": "contact_log"},
    "contacts:mark_for_plan": {"pk": "contact_log"},
    "contacts:viewer_remove": {"pk": "difficulty_viewer"},
    # S5.3 membership: a member's transfer (the register's member pages: BY_NAMESPACE)
    # S5.3 membership dues: the victim's November 2026, collected
    "dues:month": {"year": "dues_year", "month": "dues_month"},
    "members:transfer": {"pk": "member_transfer"},
    "members:transfer_accept": {"pk": "member_transfer"},
    "members:transfer_refuse": {"pk": "member_transfer"},
    "members:transfer_cancel": {"pk": "member_transfer"},
    # issue 32: the API's actions and reads, on the same objects as their pages
    "api:work_item_decision": {"item_id": "holder_item"},
    "api:work_item_opinion": {"item_id": "opinion_item"},
    "api:ledger_line": {"account_id": "expenditure_line"},
    "api_pages:revoke": {"pk": "api_token"},
    # issue 33: a recorded meeting's papers (its notices: BY_NAMESPACE)
    "meetingpapers:meeting_papers": {"pk": "meeting"},
}
BY_NAMESPACE: dict[str, dict[str, str]] = {
    "budget": {"pk": "budget"},
    "plan": {"pk": "plan"},
    "final_accounts": {"pk": "final_accounts"},
    "budget_adjustment": {"pk": "budget_adjustment"},
    "execution": {"pk": "execution_review"},
    "expenditure": {"pk": "expenditure"},
    "party": {"pk": "instruction_request"},  # S1.3: the request's pages (the hearing's: BY_URL)
    "training": {"pk": "training_record"},  # S4.3: a training record's page and its materials
    "roster": {"pk": "roster_entry"},  # S4.2: an entry of the union's roster
    "institutions": {"pk": "rules"},  # S4.1, S5.3: a draft of the union committee's working rules
    "memberpages": {"pk": "member_opinion"},  # S5.4: a member's opinion awaiting the union's answer
    "contacts": {"pk": "contact"},  # S4.4: a contact (a worker in difficulty) kept by a committee member
    "members": {"pk": "member"},  # S5.3: a member of the union's register
    "surveys": {"pk": "survey_cycle"},  # S5.2: the victim's satisfaction survey, open, with an answer
    # S5.1, S5.2: the victim's Model Workers' Home application and the province's standard it uses
    "modelhome": {"pk": "home_application", "standard_pk": "home_standard"},
    # issue 33: a printed output of the victim's budget, and a congress notice with its sign-in sheet
    "outputs": {"pk": "official_output"},
    "meetingpapers": {"pk": "meeting_notice"},
    "archive": {"pk": "archive_record"},  # S5.3: a record of the victim's archive, with its stored file
}
# Pages whose pk names documents of several kinds (the congress reports: work report, finance
# report): the other kinds are crawled too.
# The Party organisation's pages are crawled on its documents in each state their actions take.
ALSO: dict[str, list[dict[str, str]]] = {
    **{
        f"reports:report_{page}": [{"pk": "finance_report"}]
        for page in ("detail", "edit", "submit", "submit_upward", "resubmit")
    },
    **{
        f"party:request_{page}": [{"pk": "draft_request"}]
        for page in ("detail", "edit", "submit", "withdraw")
    },
    "party:carried_out": [{"pk": "agreed_request"}],
    **{f"party:hearing_{page}": [{"pk": "draft_hearing"}] for page in ("edit", "submit", "withdraw")},
    "party:hearing_detail": [{"pk": "draft_hearing"}, {"pk": "heard_hearing"}],
    # S4.1, S5.3: the rules in force and a superseded version are read as well
    "institutions:detail": [{"pk": "rules_in_force"}, {"pk": "superseded_rules"}],
    "institutions:edit": [{"pk": "rules_in_force"}],
    "institutions:withdraw": [{"pk": "rules_in_force"}],
}
# Pages about "a document" (comments, copy to) are crawled once per document type: type → World key.
DOCUMENTS: dict[str, str] = {
    "budget": "budget",
    "annual_plan": "plan",
    "year_end_summary": "summary",
    "work_report": "work_report",
    "finance_report": "finance_report",
    "final_accounts": "final_accounts",
    "budget_adjustment": "budget_adjustment",
    "expenditure": "expenditure",
    "party_hearing": "hearing",
    "instruction": "instruction_request",
    "rules": "rules",
}
# Pages told what they are about in the query string: route name → (query with World keys as "{key}").
# The people picker's search (issue 25) is asked, for each action, about the victim's objects.
QUERIES: dict[str, list[dict[str, str]]] = {
    "archive:dossier": [{"year": "2026"}],  # S5.3: a year's dossier (without a year: 404 for all)
    "people_search": [
        {"for": "transfer", "ref": "{work_item}"},
        {"for": "signer", "ref": "{work_item}"},
        {"for": "reassign", "ref": "{work_item}"},
        {"for": "copy", "ref": "budget:{budget}"},
        {"for": "mention", "ref": "budget:{budget}"},
        {"for": "plan_owner", "ref": "{plan}"},
        {"for": "seat", "ref": "{union}"},
        {"for": "roster_person", "ref": "{union}"},
        {"for": "contacts_member", "ref": "{union}"},
        {"for": "contacts_viewer", "ref": "{union}"},
        {"for": "contacts_owner", "ref": "{union}"},
    ],
}
BY_KWARG: dict[str, str] = {
    "union_pk": "union",
    "item_id": "work_item",
    "body_id": "audit_body",
    "budget_pk": "budget",
    "hook_pk": "webhook",
}

ROLES = [
    "chair",
    "office staff",
    "audit committee member",
    "party secretary",
    "representative",
    "supervisor of a sibling department",
    "plain member",
    "organ Party committee secretary",
    "outsider",
]
# Events that only record a refusal: the refusal itself is not a change of the victim's data.
REFUSAL_VERBS = ("access_denied", "action_refused")
# Tables a request may change about the visitor alone, never about the victim (and their events:
# renewing one's own calendar address writes one).
OWN_TABLES = {"core_user", "notifications_channelpreference"}
OWN_SUBJECTS = ("core.user", "notifications.channelpreference")
FINGERPRINT_APPS = {
    "core",
    "notifications",
    "workflows",
    "budget",
    "plan",
    "reports",
    "final_accounts",
    "budget_adjustment",
    "execution",
    "oversight",
    "viewflow",
    "guardian",
    "roster",
    "training",
    "contacts",
    "members",
    "dues",
    "memberpages",
    "surveys",
    "modelhome",
    "api",
    "outputs",
    "meetingpapers",
    "archive",
}


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    kwargs: tuple[str, ...]


def walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            kwargs = tuple(pattern.pattern.regex.groupindex)
            yield Route(prefix + str(pattern.pattern), name, kwargs)


def crawled_routes() -> list[Route]:
    return [r for r in walk(get_resolver().url_patterns) if not r.route.startswith(tuple(SKIP))]


def world_key(route: Route, kwarg: str) -> str | None:
    namespace = route.name.split(":", 1)[0] if ":" in route.name else ""
    return (
        BY_URL.get(route.name, {}).get(kwarg)
        or BY_NAMESPACE.get(namespace, {}).get(kwarg)
        or BY_KWARG.get(kwarg)
        or _kind_key(namespace, kwarg)
    )


def _created_kinds() -> list:
    """Registered kinds the crawler can make through their own ``create`` service."""
    return [
        kind for kind in registry.kinds() if kind.create is not None and kind.document_type not in DOCUMENTS
    ]


def _kind_key(namespace: str, kwarg: str) -> str | None:
    for kind in _created_kinds():
        if kwarg == "pk" and kind.detail_url.split(":", 1)[0] == namespace:
            return f"kind:{kind.document_type}"
    return None


def document_key(document_type: str) -> str | None:
    if document_type in DOCUMENTS:
        return DOCUMENTS[document_type]
    return f"kind:{document_type}" if document_type in {k.document_type for k in _created_kinds()} else None


# --- the victim union and one object of every kind ----------------------------------------------------


def _at(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


class World:
    """Objects of union a1, built through the services on first use; ``get(key)`` gives a kwarg value."""

    def __init__(self, tree):
        Union.objects.filter(pk=tree["a1"].pk).update(name=f"{MARKER}基层工会")
        tree["a1"].refresh_from_db()
        self.tree = tree
        self.cast = Cast(tree)
        self.cache: dict[str, object] = {}

    def get(self, key: str):
        if key not in self.cache:
            self.cache[key] = self.maker(key)()
        value = self.cache[key]
        return getattr(value, "pk", value)

    def maker(self, key: str):
        """``make_<key>``, or for ``kind:<type>`` the kind's own create service (the victim's office)."""
        if key.startswith("kind:"):
            kind = registry.kind(key.removeprefix("kind:"))
            return lambda: kind.create(actor=self.cast.office, union=self.cast.union, year=2027)
        return getattr(self, f"make_{key}", None)

    @staticmethod
    def keys_in(template: str) -> list[str]:
        """The World keys a QUERIES value names: "budget:{budget}" → ["budget"]."""
        return [name for _, name, _, _ in string.Formatter().parse(template) if name]

    def obj(self, key: str):
        self.get(key)
        return self.cache[key]

    # documents
    def _budget(self, year: int, until: str):
        """A budget sent to the union group and a representative, its chain approved until the step."""
        cast = self.cast
        budget = factories.make_budget(cast, year=year)
        submit_draft(
            budget, cast, [Recipient(cast.group_leader, cast.group), Recipient(cast.representatives[0])]
        )
        return drive(budget, cast, until=until)

    def _open(self, document, step: str):
        return open_items(document, step)[0]

    def make_budget(self):  # at the fund audit committee, with the opinions in
        return self._budget(2027, "audit_review")

    def make_work_item(self):
        return self._open(self.obj("budget"), "audit_review")

    def make_signer_item(self):
        from workflows.services.actions import signer_add

        return signer_add(item=self.obj("work_item"), user=self.cast.audit_director, signer=self.cast.chair)

    def make_opinion_item(self):
        return self._open(self._budget(2028, "give_opinion"), "give_opinion")

    def make_party_item(self):
        return self._open(self._budget(2029, "party_approval"), "party_approval")

    def make_budget_in_force(self):
        with travel(_at(2026, 3, 1, 10, 0)):
            return budget_in_force(self.cast, year=2026, carryover_is_estimate=False)

    def make_final_accounts(self):
        self.get("budget_in_force")
        return factories.make_final_accounts(self.cast, year=2026)

    def make_finance_report(self):  # S3.5: binds the audited 2026 final accounts and the 2027 budget
        fa = self.obj("final_accounts")
        self.get("budget")
        final_accounts_audited(self.cast, fa)
        return factories.make_finance_report(self.cast, year=2026)

    def make_budget_adjustment(self):
        from workflows.budget_adjustment.services import adjustment_create

        budget = self.obj("budget_in_force")
        with travel(_at(2026, 5, 11, 10, 0)):
            return adjustment_create(actor=self.cast.office, budget=budget, reason="追加职工书屋经费")

    def make_execution_review(self):
        from core.services.statutory import obligations_generate

        budget = self.obj("budget_in_force")
        obligations_generate(fiscal_year=2026, unions=[self.cast.union])
        with travel(_at(2026, 7, 5, 9, 0)):
            return factories.make_execution_review(self.cast, budget, period="H1")

    def make_expenditure(self):  # S3.1: a request on the 2026 budget, with the finance officer
        from decimal import Decimal

        from workflows.expenditure.services import request_create, request_submit

        self.get("budget_in_force")
        factories.seated(self.cast.union, Role.FINANCE_OFFICER, username="a1-finance")
        with travel(_at(2026, 12, 1, 10, 0)):  # a request is for the year of its day: the budget's
            request = request_create(
                actor=self.cast.office,
                union=self.cast.union,
                account_id="50101",
                amount=Decimal("3000.00"),
                purpose="职工健步走",
                activity_date=timezone.localdate(),
            )
            return request_submit(actor=self.cast.office, request=request)

    def make_expenditure_line(self):  # an expenditure line of the 2026 budget in force
        self.get("budget_in_force")
        return "50101"

    def make_holder_item(self):
        return self._open(self.obj("expenditure"), "finance_check")

    # the Party organisation's documents (S1.2, S1.3)
    def _party_request(self, matter: str, title: str, *, sent: bool):
        from workflows.party.models import CatalogueItem
        from workflows.party.services import request_create, request_submit
        from workflows.services.personal import personal_decide

        cast = self.cast
        request = request_create(
            actor=cast.office,
            union=cast.union,
            items=[CatalogueItem.objects.get(union__isnull=True, matter=matter)],
            title=f"{MARKER}{title}",
            text="拟于近期办理。",
        )
        if sent:  # signed by the chair and sent to the Party organisation
            request_submit(actor=cast.office, request=request)
            personal_decide(
                work_item=self._open(request, "chair_sign"), actor=cast.chair, resolution="approve"
            )
            request.refresh_from_db()
        return request

    def make_instruction_request(self):  # awaiting the Party organisation's reply
        return self._party_request("congress", "关于召开会员代表大会的请示", sent=True)

    def make_draft_request(self):
        return self._party_request("election", "关于增补委员的请示", sent=False)

    def make_agreed_request(self):  # agreed: the union records how it was carried out
        from workflows.services.decisions import written_decision_record

        request = self._party_request("staff", "关于配备专职工会干部的请示", sent=True)
        written_decision_record(
            work_item=self._open(request, "party_reply"),
            recorder=self.cast.party_secretary,
            resolution="approve",
            reference_number="机党〔2026〕9号",
            decided_on=timezone.localdate(),
        )
        request.refresh_from_db()
        return request

    def _hearing(self, year: int, *, submit: bool):
        from workflows.party.services import hearing_create, hearing_submit

        hearing = hearing_create(
            actor=self.cast.office,
            union=self.cast.union,
            year=year,
            report_kind="year_end",
            report="全年工作……",
        )
        if submit:
            hearing_submit(actor=self.cast.office, hearing=hearing)
        return hearing

    # the committees' working rules and the union's institutions (S4.1, S5.3)
    def make_rules(self):  # the union committee's working rules, drafted from the template
        from workflows.institutions.kind import create

        return create(actor=self.cast.office, union=self.cast.union)

    def _rules_approved(self, text: str):
        """The expenditure approval institution (S5.3) sent and approved by the union committee."""
        from core.models import Body
        from workflows.institutions.services import rules_create, rules_submit
        from workflows.models import WorkItem, WorkItemState
        from workflows.services.decisions import AgendaVote, meeting_record

        cast = self.cast
        rules = rules_create(
            actor=cast.office,
            union=cast.union,
            rules_type="expenditure_approval",
            title="经费审批制度",
            text=text,
        )
        rules_submit(actor=cast.office, document=rules)
        item = WorkItem.objects.get(process_id=rules.process_id, state=WorkItemState.OPEN)
        members = [p.pk for p in cast.committee]
        meeting_record(
            body=Body.objects.get(union=cast.union, kind="union_committee"),
            recorder=cast.chair,
            held_on=timezone.localdate(),
            place="工会会议室",
            attendee_ids=members,
            votes=[AgendaVote(item.pk, "approve", votes_for=len(members))],
        )
        rules.refresh_from_db()
        return rules

    def make_rules_in_force(self):  # version 2, in force (version 1 is the superseded_rules)
        from workflows.institutions.models import RulesDocument

        self.get("superseded_rules")
        return RulesDocument.objects.get(
            union=self.cast.union, rules_type="expenditure_approval", status="in_force"
        )

    def make_superseded_rules(self):
        first = self._rules_approved("第一条 经费支出实行分级审批。")
        self._rules_approved("第一条 经费支出实行分级审批，审批人不得审批本人经办的支出。")
        first.refresh_from_db()
        return first

    def make_contact(self):  # S4.4: a worker in difficulty kept by a committee member
        from workflows.contacts.services import contact_assign

        return contact_assign(
            actor=self.cast.chair,
            union=self.cast.union,
            member=self.cast.committee_members[0],
            kind="worker_in_difficulty",
            name=f"{MARKER}困难职工",
        )

    def make_contact_log(self):  # its log, with an open follow-up
        from workflows.contacts.services import contact_log

        contact = self.obj("contact")
        today = timezone.localdate()
        return contact_log(
            actor=contact.member,
            contact=contact,
            contacted_on=today,
            way="visit",
            raised=f"{MARKER}住院",
            follow_up="帮扶",
            follow_up_due=today,
        )

    def make_difficulty_viewer(self):  # a reader the chair named
        from workflows.contacts.services import difficulty_viewer_add

        return difficulty_viewer_add(actor=self.cast.chair, union=self.cast.union, person=self.cast.office)

    def make_reelection(
        self,
    ):  # S4.1: a1's women workers' committee re-elected (its seats touch no other step)
        from core.models import Body
        from workflows.roster.reelection import reelection_record

        cast, today = self.cast, timezone.localdate()
        return reelection_record(
            actor=cast.office,
            body=Body.objects.get(union=cast.union, kind="women_committee"),
            elected_on=today - datetime.timedelta(days=1),
            term_start=today,
            term_end=today + datetime.timedelta(days=5 * 365),
            members=[(cast.office, Role.DIRECTOR)],
            meeting_text=f"{MARKER}会员代表大会",
        )

    def make_reelection_union(self):  # the victim union once its re-election is on record
        self.get("reelection")
        return self.cast.union

    def make_member(self):  # S5.3: a member of the union's register
        from workflows.members.services import member_join

        return member_join(
            actor=self.cast.office,
            union=self.cast.union,
            name=f"{MARKER}会员",
            member_number="V0001",
            joined_on=datetime.date(2020, 1, 1),
        )

    def make_member_transfer(self):  # S5.3: a member's transfer to a2, awaiting a2's decision
        from workflows.members.services import member_join, transfer_request

        member = member_join(
            actor=self.cast.office,
            union=self.cast.union,
            name=f"{MARKER}转会会员",
            member_number="V0002",
            joined_on=datetime.date(2020, 1, 1),
        )
        return transfer_request(actor=self.cast.office, member=member, to_union=self.tree["a2"])

    # the Model Workers' Home (S5.1, S5.2): the province's 2026 standard, published by its office, and
    # the victim's self-evaluation against it, with a marked piece of evidence
    def make_home_standard(self):
        from workflows.modelhome.standards import standard_adopt_shipped, standard_publish

        office = factories.seated(self.tree["prov"], Role.OFFICE_STAFF, username="prov-office")
        standard = standard_adopt_shipped(union=self.tree["prov"], year=2026, by=office)
        return standard_publish(standard=standard, by=office)

    def make_home_application(self):
        from workflows.modelhome.selectors import scores_of
        from workflows.modelhome.services import application_create, scores_save

        self.get("home_standard")
        application = application_create(actor=self.cast.office, union=self.cast.union, year=2026)
        score = scores_of(application)[0]
        scores_save(
            actor=self.cast.office,
            application=application,
            entries={score.criterion_id: {"self_score": "1", "evidence": f"{MARKER}佐证"}},
        )
        return application

    def make_api_token(self):  # issue 32: a personal access token of the victim union's office staff
        from api.services import token_create

        return token_create(user=self.cast.office, name=f"{MARKER}令牌")[0]

    def make_official_output(self):  # issue 33: the victim's budget's approval sheet
        from workflows.outputs.approval import make_approval_sheet

        return make_approval_sheet(document_type="budget", document_id=self.get("budget"), actor=None)

    def make_meeting_notice(self):  # issue 33: a congress notice with its PDF and sign-in sheet
        from workflows.meetingpapers.selectors import earliest_meeting_day
        from workflows.meetingpapers.services import notice_issue, notice_sign_in_make, union_today

        body = self.cast.body("congress")
        today = union_today(body)
        notice = notice_issue(
            actor=self.cast.office,
            body=body,
            meets_on=earliest_meeting_day(today, 5),
            starts_at=datetime.time(9),
            place=f"{MARKER}礼堂",
            agenda_lines="审议工作报告",
            today=today,
        )
        notice_sign_in_make(actor=self.cast.office, notice=notice)
        return notice

    def make_meeting(self):  # the victim's committee meeting that decided the budget
        from workflows.models import Meeting

        self.get("budget")
        return Meeting.objects.filter(body__union=self.cast.union).order_by("pk").first()

    def make_archive_record(self):  # S5.3: the victim's archive filed; a record with its stored file
        from workflows.archive.filing import file_union
        from workflows.archive.models import ArchiveRecord

        self.get("meeting_attachment")
        self.get("budget_in_force")
        file_union(union=self.cast.union)
        records = ArchiveRecord.objects.filter(union=self.cast.union)
        return records.exclude(file="").order_by("pk").first() or records.order_by("pk").first()

    def make_survey_cycle(self):  # S5.2: the victim's survey, open, one member answered
        from workflows.members.models import Member
        from workflows.surveys import services

        Member.objects.create(
            union=self.cast.union,
            name=f"{MARKER}测评会员",
            member_number="V0003",
            joined_on=datetime.date(2020, 1, 1),
        )
        cycle = services.cycle_create(
            actor=self.cast.office,
            union=self.cast.union,
            title=f"{MARKER}满意度测评",
            opens_on=datetime.date(2020, 1, 1),
            closes_on=datetime.date(2099, 12, 31),
        )
        issued = services.cycle_open(actor=self.cast.office, cycle=cycle)
        ratings = {q.pk: "5" for q in cycle.questions.filter(kind="rating")}
        services.answer_submit(token=issued[0].token, answers=ratings)
        return cycle

    def make_member_opinion(self):  # S5.4: a member of a1 with an account, and their opinion unanswered
        from workflows.memberpages.services import opinion_send
        from workflows.members.models import Member

        member = Member.objects.create(
            union=self.cast.union,
            person=factories.UserFactory(username="a1-member"),
            name=f"{MARKER}会员",
            member_number="A1-000001",
            joined_on=datetime.date(2020, 1, 1),
        )
        return opinion_send(
            member=member, kind="opinion", rating=None, text=f"{MARKER}建议延长职工书屋开放时间"
        )

    def make_dues_year(self):  # the victim's dues of November 2026: a member of its register who paid
        from decimal import Decimal

        from workflows.dues.services import month_record, wages_enter
        from workflows.members.models import Member

        cast, month = self.cast, datetime.date(2026, 11, 1)
        member = Member.objects.create(
            union=cast.union,
            name=f"{MARKER}会员",
            member_number="a1-dues-1",
            joined_on=datetime.date(2024, 1, 1),
        )
        wages_enter(
            actor=cast.office, union=cast.union, applies_from=month, wages={member.pk: Decimal("8000")}
        )
        month_record(actor=cast.office, union=cast.union, month=month, paid={member.pk: None})
        return 2026

    def make_dues_month(self):
        self.get("dues_year")
        return 11

    def make_roster_entry(self):  # S4.2: an activist on the union's roster
        from workflows.roster.models import RosterEntry

        return RosterEntry.objects.create(
            union=self.cast.union, category="activist", name=f"{MARKER}积极分子"
        )

    def make_training_record(self):  # S4.3: a seminar with its sign-in and materials
        from django.core.files.uploadedfile import SimpleUploadedFile

        from workflows.training.services import training_record

        return training_record(
            actor=self.cast.office,
            union=self.cast.union,
            kind="seminar",
            held_on=timezone.localdate(),
            topic="工会法专题研讨",
            trainer="工会主席",
            participant_ids=[self.cast.chair.pk],
            materials=SimpleUploadedFile("签到表.pdf", b"%PDF-1.4\n%%EOF\n"),
        )

    def make_hearing(self):  # on the Party organisation's agenda
        return self._hearing(2026, submit=True)

    def make_hearing_item(self):
        return self._open(self.obj("hearing"), "party_hearing")

    def make_draft_hearing(self):
        return self._hearing(2027, submit=False)

    def make_heard_hearing(self):  # recorded, with a problem to solve
        from workflows.party import hearings
        from workflows.party.services import Problem

        hearing = self._hearing(2025, submit=True)
        today = timezone.localdate()
        hearings.hearing_record(
            recorder=self.cast.party_secretary,
            work_item=self._open(hearing, "party_hearing"),
            held_on=today,
            place="党委会议室",
            attendee_ids=[self.cast.party_secretary.pk],
            matters_studied="听取工会工作汇报",
            problems=[
                Problem(f"{MARKER}职工书屋改造", None, "工会办公室", today + datetime.timedelta(days=30))
            ],
        )
        return hearing

    def make_action_item(self):
        return self.obj("heard_hearing").action_items.get()

    def make_summary(self):
        return acknowledged_summary(self.cast)

    def make_plan(self):
        return plan_before_congress(self.cast)

    def make_plan_item(self):
        from workflows.plan.models import PlanItem

        return PlanItem.objects.filter(section__version__plan=self.obj("plan")).order_by("pk").first()

    def make_work_report(self):
        from workflows.reports.services import work_report_submit

        self.get("summary")
        self.get("plan")
        report = factories.make_work_report(self.cast, year=2026)
        work_report_submit(actor=self.cast.office, report=report)
        congress_meeting(report, self.cast)
        report.refresh_from_db()
        return report

    def make_submission(self):
        from workflows.reports.services import report_submit_upward

        (submission,) = report_submit_upward(actor=self.cast.office, report=self.obj("work_report"))
        return submission

    # the union and its parts
    def make_union(self):
        return self.cast.union

    def make_audit_body(self):
        from core.models import Body

        return Body.objects.get(union=self.cast.union, kind="audit_committee")

    def make_obligation(self):
        from core.services.statutory import obligations_generate
        from core.statutory import Obligation

        obligations_generate(fiscal_year=2027, unions=[self.cast.union])
        return Obligation.objects.filter(union=self.cast.union, met_on__isnull=True).order_by("pk").first()

    def make_obligation_record(self):
        from core.services.statutory import obligation_record

        return obligation_record(
            obligation=self.obj("obligation"),
            user=self.cast.office,
            held_on=timezone.localdate(),
            note=f"{MARKER}学习会",
            attachment=ContentFile(b"%PDF-1.4 sign-in sheet", name="签到表.pdf"),
        )

    def make_attachment(self):  # the budget's own file; every other attachment is crawled as well
        from workflows.models import Attachment

        return Attachment.objects.create(
            union=self.cast.union,
            document_type=DocumentType.BUDGET,
            document_id=self.get("budget"),
            file=ContentFile(f"{MARKER}说明".encode(), name="说明.txt"),
            name=f"{MARKER}说明.txt",
            size=20,
            uploaded_by=self.cast.office,
        )

    def make_meeting_attachment(self):
        from workflows.models import Attachment, Meeting

        self.get("budget")  # its audit meeting was recorded
        meeting = Meeting.objects.filter(body__union=self.cast.union).order_by("pk").first()
        return Attachment.objects.create(
            union=self.cast.union,
            meeting=meeting,
            file=ContentFile(b"%PDF-1.4 minutes", name="minutes.pdf"),
            name="会议纪要.pdf",
            size=16,
            uploaded_by=self.cast.audit_director,
        )

    def make_comment_attachment(self):
        from workflows.services.actions import comment_add

        comment, _ = comment_add(
            document=self.obj("budget"),
            document_type=DocumentType.BUDGET,
            author=self.cast.chair,
            text="见附件",
            files=[ContentFile(b"%PDF-1.4 note", name="意见.pdf")],
        )
        return comment.attachments.get()

    def victim_files(self) -> list[str]:
        """The download address of every attachment of the victim union, whatever it hangs on."""
        from core.statutory import ObligationRecord
        from workflows.archive.models import ArchiveRecord
        from workflows.models import Attachment
        from workflows.outputs.models import OfficialOutput

        for key in ("attachment", "meeting_attachment", "comment_attachment", "obligation_record"):
            self.get(key)
        victim = self.get("union")
        files = [
            reverse("workflows:attachment", args=[pk])
            for pk in Attachment.objects.filter(union_id=victim).values_list("pk", flat=True)
        ]
        records = ObligationRecord.objects.filter(obligation__union_id=victim).exclude(attachment="")
        files += [reverse("obligation_record_file", args=[pk]) for pk in records.values_list("pk", flat=True)]
        self.get("archive_record")
        archived = ArchiveRecord.objects.filter(union_id=victim).exclude(file="")
        files += [reverse("archive:download", args=[pk]) for pk in archived.values_list("pk", flat=True)]
        self.get("official_output")
        outputs = OfficialOutput.objects.filter(union_id=victim)
        files += [reverse("outputs:download", args=[pk]) for pk in outputs.values_list("pk", flat=True)]
        return files

    def make_webhook(self):
        from notifications.models import UnionWebhook

        return UnionWebhook.objects.create(
            union=self.cast.union, url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a1"
        )

    def make_seat(self):
        from core.models import Seat

        return Seat.objects.filter(union=self.cast.union, role=Role.OFFICE_STAFF).first()

    def make_delegation(self):
        from workflows.services.actions import delegation_create

        today = timezone.localdate()
        return delegation_create(
            person=self.cast.party_secretary,
            substitute=self.cast.office,
            starts_on=today + datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=40),
        )

    def make_notification(self):  # someone else's bell: marking it read is a change of theirs
        from notifications.services import notification_create

        return notification_create(
            recipient=self.cast.chair,
            union=self.cast.union,
            title=f"{MARKER}通知",
            url="",
            dedupe_key="crawl",
        )

    def minimal_body(self) -> dict[str, str]:
        """What a form about another union would carry: its ids in the names the views read."""
        union = str(self.get("union"))
        return {
            "union": union,
            "union_id": union,
            "department": str(self.tree["dept_a"].pk),
            "receiver": union,
            "year": "2026",
            "kind": "work_report",
            "older_than": "0",
            "id": str(self.get("notification")),
            "item": str(self.get("work_item")),
        }


# --- the crawlers, in union b1 under department union B ------------------------------------------------


def crawlers(tree, cast) -> dict[str, object]:
    from core.models import Body
    from core.services.permissions import party_link_set

    b1 = tree["b1"]

    def seated(username, role, body=None, union=b1):
        person = UserFactory(username=username)
        give_seat(person, union, role, body)
        return person

    # S1.1: department B's Party body leads b1's, so its secretary acts for b1 (and for nothing of a1)
    organ = seated("deptb-party", Role.SECRETARY, "party_organization", union=tree["dept_b"])
    party_link_set(
        body=Body.objects.get(union=b1, kind="party_organization"),
        led_by=Body.objects.get(union=tree["dept_b"], kind="party_organization"),
    )

    return {
        "chair": cast.outsider,  # b1-chair
        "office staff": seated("b1-office", Role.OFFICE_STAFF),
        "audit committee member": seated("b1-audit", Role.MEMBER, "audit_committee"),
        "party secretary": seated("b1-party", Role.SECRETARY, "party_organization"),
        "representative": seated("b1-rep", Role.REPRESENTATIVE, "congress"),
        "supervisor of a sibling department": seated(
            "deptb-supervisor", Role.SUPERVISOR, union=tree["dept_b"]
        ),
        "plain member": seated("b1-member", Role.MEMBER, "union_committee"),
        "organ Party committee secretary": organ,
        "outsider": UserFactory(username="nobody"),
    }


# --- what a POST may have changed ----------------------------------------------------------------------


def fingerprint_parts(union_id: int) -> dict[str, str]:
    """One SQL expression per table: a hash of the victim's rows (of all rows where a table has no
    union), and for the event log the number of events that are not refusals."""
    kind_apps = {kind.document_model()._meta.app_label for kind in registry.kinds()}
    parts = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if model._meta.app_label not in FINGERPRINT_APPS | kind_apps or table in OWN_TABLES:
            continue
        if table == "core_event":
            refusals = ", ".join(f"'{verb}'" for verb in REFUSAL_VERBS)
            own = ", ".join(f"'{label}'" for label in OWN_SUBJECTS)
            events = f"verb NOT IN ({refusals}) AND subject_type NOT IN ({own})"
            parts[table] = f"(SELECT count(*)::text FROM core_event WHERE {events})"
            continue
        columns = {f.column for f in model._meta.concrete_fields}
        where = f" WHERE t.union_id = {union_id}" if "union_id" in columns else ""
        parts[table] = (
            f"(SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM {table} t{where})"
        )
    return parts


def fingerprint_sql(union_id: int) -> str:
    return "SELECT md5(" + " || ".join(fingerprint_parts(union_id).values()) + ")"


def fingerprint(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


class Changes:
    """The victim's data, hashed per table; after a request only the tables this transaction has
    written since the last look are hashed again. PostgreSQL counts every row a transaction inserts,
    updates or deletes, rolled back or not, in pg_stat_xact_user_tables, so a table it does not list
    as written cannot differ — and hashing every table after each of the crawl's thousands of POSTs
    was most of the crawl's time."""

    def __init__(self, union_id: int):
        self.parts = fingerprint_parts(union_id)
        self.writes = self._writes()
        self.hashes = self._hashes(list(self.parts))

    @staticmethod
    def _writes() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
            return dict(cursor.fetchall())

    def _hashes(self, tables: list[str]) -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(self.parts[table] for table in tables))
            return dict(zip(tables, cursor.fetchone(), strict=True))

    def written(self) -> list[str]:
        """The victim's tables whose rows differ since the last call (and remembers them as they are)."""
        writes = self._writes()
        touched = [t for t in self.parts if writes.get(t, 0) != self.writes.get(t, 0)]
        self.writes = writes
        if not touched:
            return []
        now = self._hashes(touched)
        changed = [t for t in touched if now[t] != self.hashes[t]]
        self.hashes.update(now)
        return changed


# --- the crawl -------------------------------------------------------------------------------------------


def refusal(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code in (301, 302) and response["Location"].startswith(reverse("login"))


def _query_variants(world: World) -> list[tuple[Route, str]]:
    """QUERIES' addresses, each about one of the victim's objects (a 2xx answer is a leak)."""
    variants = []
    for route in crawled_routes():
        for query in QUERIES.get(route.name, []):
            filled = {
                name: value.format(**{key: world.get(key) for key in World.keys_in(value)})
                for name, value in query.items()
            }
            filled.update({"name": "who", "who_q": ""})
            about = Route(route.route, route.name, tuple(query))
            kwargs = {kwarg: world.get(world_key(route, kwarg)) for kwarg in route.kwargs}
            variants.append((about, f"{reverse(route.name, kwargs=kwargs)}?{urlencode(filled)}"))
    return variants


def crawl(world: World, people: dict[str, object]) -> tuple[list[dict], Counter, int]:
    unfillable = []
    plan: list[tuple[Route, str]] = []
    for route in crawled_routes():
        if {"document_type", "document_id"} <= set(route.kwargs):  # one address per document type
            variants = []
            for document_type in registry.document_types():
                key = document_key(document_type)
                if key is None:
                    unfillable.append(f"{route.route} ({route.name}): document type {document_type!r}")
                    continue
                variants.append({"document_type": document_type, "document_id": world.get(key)})
        else:
            variants = [{}] + [
                {k: world.get(v) for k, v in extra.items()} for extra in ALSO.get(route.name, [])
            ]
        for fixed in variants:
            kwargs = dict(fixed)
            for kwarg in route.kwargs:
                if kwarg in kwargs:
                    continue
                key = world_key(route, kwarg)
                if key is None or world.maker(key) is None:
                    unfillable.append(f"{route.route} ({route.name or 'unnamed'}): kwarg {kwarg!r}")
                    continue
                kwargs[kwarg] = world.get(key)
            if len(kwargs) == len(route.kwargs):
                plan.append((route, reverse(route.name, kwargs=kwargs)))
    plan += _query_variants(world)
    planned = {url for _, url in plan}
    file_route = next(r for r in crawled_routes() if r.name == "workflows:attachment")
    plan += [(file_route, url) for url in world.victim_files() if url not in planned]
    assert not unfillable, (
        "URL patterns the scope crawler cannot fill — add their objects to World and the kwarg to "
        "BY_URL / BY_NAMESPACE / BY_KWARG in tests/test_scope_crawler.py:\n" + "\n".join(unfillable)
    )
    victim = world.get("union")
    minimal = world.minimal_body()
    leaks: list[dict] = []
    tally: Counter = Counter()
    # The victim's data is compared after every POST with what it was after the one before: a change since
    # then is this POST's (a GET that changed it would be caught by the next POST's comparison as well)
    changes = Changes(victim)
    for role in ROLES:
        client = Client()
        client.force_login(people[role])
        for route, url in plan:
            about_object = bool(route.kwargs)
            urls = [url] if about_object else [url, f"{url}?union={victim}&union_id={victim}"]
            requests = [("GET", u, None) for u in urls] + [("POST", url, {}), ("POST", url, minimal)]
            for method, target, data in requests:
                response = client.get(target) if method == "GET" else client.post(target, data)
                body = b"" if getattr(response, "streaming", False) else response.content
                reasons = []
                if MARKER.encode() in body:
                    reasons.append("shows the victim union")
                if about_object and 200 <= response.status_code < 300:
                    reasons.append(f"{response.status_code} on another union's object")
                if response.status_code in (301, 302, 303) and not refusal(response):
                    followed = client.get(response["Location"])
                    if MARKER.encode() in followed.content:
                        reasons.append(
                            f"redirects to a page showing the victim union ({response['Location']})"
                        )
                if method == "POST" and (written := changes.written()):
                    reasons.append(f"POST changed data ({', '.join(written)})")
                outcome = (
                    "leak" if reasons else ("refused" if refusal(response) else f"{response.status_code}")
                )
                tally[(role, outcome if outcome in ("leak", "refused") else "other")] += 1
                if about_object and outcome not in ("leak", "refused"):
                    # neither a refusal nor a leak (e.g. a redirect back with an error): shown in the table
                    tally[("answers on objects", f"{method} {route.name} → {outcome}")] += 1
                if reasons:
                    leaks.append(
                        {
                            "role": role,
                            "method": method,
                            "url": target,
                            "pattern": route.name,
                            "status": response.status_code,
                            "why": "; ".join(reasons),
                        }
                    )
    return leaks, tally, len(plan)


def print_table(leaks: list[dict], tally: Counter, patterns: int) -> None:
    lines = [
        f"\nScope crawler: {patterns} addresses ({len(crawled_routes())} URL patterns, one per document type "
        f"where a page is about any document) × {len(ROLES)} roles, GET and POST, objects of another union"
    ]
    lines.append("| role | requests | refused (403/404/405/302 to sign-in) | other answers | leaks |")
    lines.append("|---|---|---|---|---|")
    for role in ROLES:
        total = sum(n for (r, _), n in tally.items() if r == role)
        refused, other, leaked = (tally[(role, kind)] for kind in ("refused", "other", "leak"))
        lines.append(f"| {role} | {total} | {refused} | {other} | {leaked} |")
    lines.append(f"| all | {sum(n for (r, _), n in tally.items() if r in ROLES)} | | | **{len(leaks)}** |")
    answers = sorted((what, n) for (r, what), n in tally.items() if r == "answers on objects")
    if answers:
        lines.append("Answers on another union's objects that were neither refusals nor leaks (all roles):")
        lines += [f"  {n:3} × {what}" for what, n in answers]
    for leak in leaks:
        where = f"{leak['method']} {leak['url']} ({leak['pattern']})"
        lines.append(f"LEAK {leak['role']}: {where} → {leak['status']}: {leak['why']}")
    print("\n".join(lines))


@pytest.mark.django_db
def test_every_url_pattern_refuses_every_role_of_another_union(tree):
    world = World(tree)
    people = crawlers(tree, world.cast)
    leaks, tally, patterns = crawl(world, people)
    print_table(leaks, tally, patterns)
    # controls: the marker is on the victim's own pages, and a change by its own recorder is seen
    own = Client()
    own.force_login(world.cast.office)
    page = own.get(reverse("budget:detail", args=[world.get("budget")]))
    assert page.status_code == 200 and MARKER in page.content.decode()
    sql = fingerprint_sql(world.get("union"))
    before = fingerprint(sql)
    changes = Changes(world.get("union"))
    recorder = Client()
    recorder.force_login(world.cast.audit_director)
    response = recorder.post(
        reverse("workflows:comment", args=["budget", world.get("budget")]), {"text": "请复核"}
    )
    assert response.status_code == 302
    assert fingerprint(sql) != before
    assert changes.written()  # the crawl's own detector sees it too
    assert patterns >= 60  # the resolver was walked, includes and namespaces too
    # every stored file of the victim was requested: a budget's, a meeting's, a comment's, the audit
    # report, an obligation record's
    assert len(world.victim_files()) >= 5
    assert sum(n for (role, _), n in tally.items() if role in ROLES) >= patterns * len(ROLES) * 3
    assert leaks == [], f"{len(leaks)} leaks: " + "; ".join(
        f"{x['role']} {x['method']} {x['url']}: {x['why']}" for x in leaks[:10]
    )


def test_every_pattern_is_crawled_or_skipped_for_a_stated_reason_and_unknown_kwargs_are_named():
    """New pages cannot escape: a pattern is either crawled or under a SKIP prefix with its reason, and a
    kwarg without an object maps to nothing (the crawl then fails naming the pattern)."""
    every = list(walk(get_resolver().url_patterns))
    crawled = crawled_routes()
    skipped = [r for r in every if r not in crawled]
    assert {r.name for r in crawled} >= {
        "budget:detail",
        "workflows:claim",
        "oversight:reassign",
        "union_detail",
    }
    assert all(any(r.route.startswith(prefix) for prefix in SKIP) for r in skipped)
    assert all(reason for reason in SKIP.values())
    assert world_key(Route("widgets/<int:widget_pk>/", "widgets:detail", ("widget_pk",)), "widget_pk") is None
    assert world_key(Route("budgets/<int:pk>/", "budget:detail", ("pk",)), "pk") == "budget"
    assert world_key(Route("reports/<int:pk>/", "reports:report_detail", ("pk",)), "pk") == "work_report"
    assert set(DOCUMENTS) == set(DocumentType.values)  # a new document type needs its object
    # a kind that declares its create service is crawled without an entry here (tests/kind_example)
    assert world_key(Route("notices/<int:pk>/", "kind_example:detail", ("pk",)), "pk") == "kind:notice"
    assert document_key("notice") == "kind:notice" and document_key("widget") is None
