"""The rules' chain through the real services and meetings (S4.1, S5.3): a committee's working rules
approved by its own meeting and never by another committee's, a new version superseding the one in
force, a single-person body's duty statement approved by the union committee, an institution approved
by the union committee with the expenditure rules it carries on its page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import BodyKind, Event
from tests.scenarios import open_item, open_items
from workflows import errors as spine_errors
from workflows.expenditure.models import SpendingStandard
from workflows.institutions import errors, services
from workflows.institutions.models import RulesStatus, RulesType
from workflows.institutions.selectors import missing_rules, rules_in_force
from workflows.models import Resolution

from .helpers import body_item, drafted, meet, sent

pytestmark = pytest.mark.django_db


def test_S4_1_working_rules_approved_by_the_committee_own_meeting_then_superseded_by_a_new_version(
    cast, client
):
    # given: the fund audit committee's working rules, from the template, sent
    rules = drafted(cast, RulesType.AUDIT_COMMITTEE)
    assert (rules.version, rules.status, rules.approver) == (1, RulesStatus.DRAFT, BodyKind.AUDIT_COMMITTEE)
    for heading in ("总则", "职责", "分工", "议事程序", "附则"):
        assert heading in rules.text
    assert cast.union.name in rules.text
    services.rules_submit(actor=cast.office, document=rules)
    rules.refresh_from_db()
    assert rules.status == RulesStatus.AUDIT_COMMITTEE
    item = body_item(rules)
    assert item.body == cast.body(BodyKind.AUDIT_COMMITTEE)
    # when the union committee's meeting tries to decide it: refused, nothing decided
    with pytest.raises(ValidationError) as refused:
        meet(cast.body(BodyKind.UNION_COMMITTEE), cast.chair, item)
    assert str(spine_errors.MEETING_ITEM_FOREIGN) in refused.value.messages
    assert open_items(rules) == [item]
    # when its own meeting approves it: in force, with that meeting
    result = meet(cast.body(BodyKind.AUDIT_COMMITTEE), cast.audit_director, item)
    rules.refresh_from_db()
    assert rules.status == RulesStatus.IN_FORCE and rules.meeting == result.meeting
    assert rules.approved_on == result.meeting.held_on and not open_items(rules)
    assert rules_in_force(cast.union)[RulesType.AUDIT_COMMITTEE] == rules
    assert RulesType.AUDIT_COMMITTEE not in missing_rules([cast.union.pk])[cast.union.pk]

    # a new version starts from the text in force; returned once, revised, then approved
    title, text = services.starting_text(union=cast.union, rules_type=RulesType.AUDIT_COMMITTEE)
    assert (title, text) == (rules.title, rules.text)
    second = sent(cast, RulesType.AUDIT_COMMITTEE, text=text + "\n第九条 经审会每年向会员代表大会报告工作。")
    assert second.version == 2
    meet(
        cast.body(BodyKind.AUDIT_COMMITTEE),
        cast.audit_director,
        body_item(second),
        Resolution.RETURN,
        "请补充审查程序。",
    )
    second.refresh_from_db()
    assert second.status == RulesStatus.RETURNED and open_item(second, "revise")
    services.rules_update(
        actor=cast.office, document=second, title=second.title, text=second.text + "（补充）"
    )
    services.rules_submit(actor=cast.office, document=second)
    second.refresh_from_db()
    rules.refresh_from_db()
    assert rules.status == RulesStatus.IN_FORCE  # the old version rules until the new one is approved
    meet(cast.body(BodyKind.AUDIT_COMMITTEE), cast.audit_director, body_item(second))
    second.refresh_from_db()
    rules.refresh_from_db()
    assert second.status == RulesStatus.IN_FORCE and second.text.endswith("（补充）")
    assert (rules.status, rules.superseded_by, rules.superseded_on) == (
        RulesStatus.SUPERSEDED,
        second,
        second.approved_on,
    )
    assert Event.objects.filter(verb="superseded", subject_id=str(rules.pk)).exists()

    # the old version stays readable, marked superseded, pointing at the new one
    client.force_login(cast.office)
    page = client.get(reverse("institutions:detail", args=[rules.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="superseded-notice"' in html
    assert reverse("institutions:detail", args=[second.pk]) in html
    overview = client.get(reverse("institutions:overview", args=[cast.union.pk])).content.decode()
    assert 'data-testid="superseded"' in overview and second.title in overview


def test_S4_1_a_single_person_body_has_its_duty_statement_approved_by_the_union_committee(cast):
    audit = cast.body(BodyKind.AUDIT_COMMITTEE)
    audit.is_single_person = True
    audit.save(update_fields=["is_single_person"])
    title, text = services.starting_text(union=cast.union, rules_type=RulesType.AUDIT_COMMITTEE)
    assert title == "经费审查委员岗位职责" and "不设经费审查委员会" in text
    statement = sent(cast, RulesType.AUDIT_COMMITTEE)
    assert statement.approver == BodyKind.UNION_COMMITTEE
    item = body_item(statement)
    assert item.step == "union_committee_approval" and item.body == cast.body(BodyKind.UNION_COMMITTEE)
    # the single member cannot hold a meeting on it: the item is not the audit committee's
    with pytest.raises(ValidationError) as refused:
        meet(audit, cast.audit_director, item)
    assert str(spine_errors.MEETING_ITEM_FOREIGN) in refused.value.messages
    result = meet(cast.body(BodyKind.UNION_COMMITTEE), cast.chair, item)
    statement.refresh_from_db()
    assert statement.status == RulesStatus.IN_FORCE and statement.meeting == result.meeting
    # a single-person body's rules count: none missing for it once in force
    assert RulesType.AUDIT_COMMITTEE not in missing_rules([cast.union.pk])[cast.union.pk]


def test_S4_1_a_body_made_single_person_after_the_rules_reached_it_cannot_meet_on_them(cast):
    rules = sent(cast, RulesType.AUDIT_COMMITTEE)
    audit = cast.body(BodyKind.AUDIT_COMMITTEE)
    audit.is_single_person = True
    audit.save(update_fields=["is_single_person"])
    with pytest.raises(ValidationError) as refused:
        meet(audit, cast.audit_director, body_item(rules))
    expected = errors.SINGLE_PERSON_MEETING % {"document": rules.title, "body": audit.display_name}
    assert refused.value.messages == [str(expected)]
    # withdrawn and sent again, the union committee approves it
    services.rules_withdraw(actor=cast.office, document=rules, reason="改为单人经审委员")
    again = sent(cast, RulesType.AUDIT_COMMITTEE)
    assert again.version == 1 and again.approver == BodyKind.UNION_COMMITTEE


def test_S5_3_an_institution_is_approved_by_the_union_committee_and_shows_the_expenditure_rules(cast, client):
    SpendingStandard.objects.create(
        code="condolence", name="慰问困难职工", basis="person", cap=Decimal("800")
    )
    institution = sent(cast, RulesType.EXPENDITURE_APPROVAL)
    assert institution.approver == BodyKind.UNION_COMMITTEE
    item = body_item(institution)
    with pytest.raises(ValidationError):  # the fund audit committee's meeting cannot decide it
        meet(cast.body(BodyKind.AUDIT_COMMITTEE), cast.audit_director, item)
    meet(cast.body(BodyKind.UNION_COMMITTEE), cast.chair, item)
    institution.refresh_from_db()
    assert institution.status == RulesStatus.IN_FORCE
    client.force_login(cast.committee_members[0])
    html = client.get(reverse("institutions:detail", args=[institution.pk])).content.decode()
    assert 'data-testid="expenditure-rules"' in html
    assert "5,000.00" in html and "50,000.00" in html  # the built-in routing thresholds, read only
    assert "慰问困难职工" in html and "800.00" in html
    assert 'data-testid="meeting"' in html
