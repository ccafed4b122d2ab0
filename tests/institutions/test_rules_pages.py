"""The rules pages (S4.1, S5.3): bad input refused with what was typed kept, who drafts and who reads,
outsiders refused on every page, the scorecard's selector in a bounded number of queries, the demo."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from core.models import Body, BodyKind, Role
from tests.factories import UserFactory, seated
from workflows.institutions import errors, services
from workflows.institutions.models import RulesDocument, RulesStatus, RulesType
from workflows.institutions.selectors import missing_rules

from .helpers import body_item, drafted, meet, sent

pytestmark = pytest.mark.django_db

UC = RulesType.UNION_COMMITTEE


def _post_new(client, union, **data):
    return client.post(reverse("institutions:new", args=[union.pk]), data)


def test_S4_1_bad_input_is_refused_clearly_and_what_was_typed_is_kept(cast, client):
    client.force_login(cast.office)
    new = reverse("institutions:new", args=[cast.union.pk])
    assert client.get(new).status_code == 302  # no type chosen: back to the union's page
    page = client.get(f"{new}?type={UC}")
    assert page.status_code == 200 and "议事程序" in page.content.decode()
    # a title missing
    response = _post_new(client, cast.union, rules_type=UC, title="  ", text="第一条 委员会每季度开会。")
    html = response.content.decode()
    assert response.status_code == 400 and escape(str(errors.NO_TITLE)) in html
    assert "第一条 委员会每季度开会。" in html
    # an empty body text
    response = _post_new(client, cast.union, rules_type=UC, title="工会委员会工作规则（修订）", text="\n ")
    html = response.content.decode()
    assert response.status_code == 400 and escape(str(errors.NO_TEXT)) in html
    assert "工会委员会工作规则（修订）" in html
    # an unknown type
    response = _post_new(client, cast.union, rules_type="bylaws", title="章程", text="第一条")
    assert response.status_code == 400 and escape(str(errors.UNKNOWN_TYPE)) in response.content.decode()
    # a type whose body the union lacks (no women workers' committee)
    Body.objects.filter(union=cast.union, kind=BodyKind.WOMEN_COMMITTEE).delete()
    response = _post_new(
        client, cast.union, rules_type=RulesType.WOMEN_COMMITTEE, title="女职委规则", text="x"
    )
    html = response.content.decode()
    no_body = errors.NO_BODY % {"body": BodyKind.WOMEN_COMMITTEE.label}
    assert response.status_code == 400 and "女职委规则" in html and escape(str(no_body)) in html
    with pytest.raises(ValidationError) as refused:
        drafted(cast, RulesType.WOMEN_COMMITTEE, title="女职委规则", text="x")
    assert "rules_type" in refused.value.error_dict
    assert not RulesDocument.objects.exists()
    # a second version of the same type while one is on its way
    assert _post_new(client, cast.union, rules_type=UC, title="规则", text="第一条").status_code == 302
    response = _post_new(client, cast.union, rules_type=UC, title="规则二", text="第二条")
    expected = errors.IN_PROGRESS % {"title": RulesType(UC).label}
    assert response.status_code == 400 and escape(str(expected)) in response.content.decode()
    # the edit keeps what was typed too
    document = RulesDocument.objects.get()
    response = client.post(
        reverse("institutions:edit", args=[document.pk]), {"rules_type": UC, "title": "新标题", "text": ""}
    )
    assert response.status_code == 400 and "新标题" in response.content.decode()
    document.refresh_from_db()
    assert (document.title, document.text) == ("规则", "第一条")


def test_S4_1_the_office_and_the_chair_draft_every_seat_of_the_union_reads(cast, tree, client, supervisor_of):
    vice_chair = seated(cast.union, Role.VICE_CHAIR, BodyKind.UNION_COMMITTEE)
    finance = seated(cast.union, Role.FINANCE_OFFICER)
    for person in (vice_chair, finance, cast.representatives[0]):
        with pytest.raises(PermissionDenied):
            services.rules_create(actor=person, union=cast.union, rules_type=UC, title="规则", text="第一条")
        client.force_login(person)
        assert (
            client.get(reverse("institutions:new", args=[cast.union.pk]) + f"?type={UC}").status_code == 403
        )
    by_chair = services.rules_create(
        actor=cast.chair, union=cast.union, rules_type=UC, title="规则", text="一"
    )
    assert by_chair.drafter == cast.chair
    detail = reverse("institutions:detail", args=[by_chair.pk])
    for reader in (cast.representatives[0], cast.party_secretary, supervisor_of(tree["dept_a"])):
        client.force_login(reader)
        assert client.get(detail).status_code == 200
        assert client.get(reverse("institutions:overview", args=[cast.union.pk])).status_code == 200
        assert client.post(reverse("institutions:submit", args=[by_chair.pk])).status_code == 403
        assert client.get(reverse("institutions:edit", args=[by_chair.pk])).status_code == 403


def test_S4_1_outsiders_of_other_unions_are_refused_on_every_page(cast, tree, client, supervisor_of):
    in_force = sent(cast, RulesType.EXPENDITURE_APPROVAL)
    meet(cast.body(BodyKind.UNION_COMMITTEE), cast.chair, body_item(in_force))
    draft = drafted(cast, UC)
    union = cast.union.pk
    pages = [
        reverse("institutions:overview", args=[union]),
        reverse("institutions:new", args=[union]) + f"?type={UC}",
        *[
            reverse(f"institutions:{name}", args=[pk])
            for name in ("detail", "edit")
            for pk in (draft.pk, in_force.pk)
        ],
    ]
    actions = [
        reverse("institutions:new", args=[union]),
        reverse("institutions:submit", args=[draft.pk]),
        reverse("institutions:withdraw", args=[draft.pk]),
        reverse("institutions:edit", args=[draft.pk]),
    ]
    for outsider in (cast.outsider, supervisor_of(tree["dept_b"]), UserFactory()):
        client.force_login(outsider)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 404, (url, outsider)
            assert draft.title not in response.content.decode()
        for url in actions:
            data = {"rules_type": UC, "title": "外单位", "text": "外单位", "confirm": "yes"}
            assert client.post(url, data).status_code == 404, (url, outsider)
    draft.refresh_from_db()
    assert draft.status == RulesStatus.DRAFT and RulesDocument.objects.count() == 2


def test_S4_1_S5_3_missing_rules_per_union_in_the_same_queries_for_one_union_or_three(cast, tree, client):
    meet(cast.body(BodyKind.UNION_COMMITTEE), cast.chair, body_item(sent(cast, UC)))
    a1, a2, b1, group = (tree[k].pk for k in ("a1", "a2", "b1", "a1g"))
    Body.objects.filter(union_id=a2, kind=BodyKind.WOMEN_COMMITTEE).delete()
    single = Body.objects.get(union_id=b1, kind=BodyKind.AUDIT_COMMITTEE)
    single.is_single_person = True
    single.save(update_fields=["is_single_person"])
    with CaptureQueriesContext(connection) as one:
        missing_rules([a1])
    with CaptureQueriesContext(connection) as three:
        found = missing_rules([a1, a2, b1])
    assert len(one) == len(three) == 2
    every = list(RulesType.values)
    assert found == {
        a1: [t for t in every if t != UC],
        a2: [t for t in every if t != RulesType.WOMEN_COMMITTEE],  # no such committee: not needed
        b1: every,  # the single-person audit member's duty statement counts too
    }
    assert missing_rules([group]) == {group: []}  # a union group has no bodies
    # the union's page says the same, in a bounded number of queries
    client.force_login(cast.office)
    with CaptureQueriesContext(connection) as page_queries:
        html = client.get(reverse("institutions:overview", args=[a1])).content.decode()
    assert len(page_queries) <= 12
    assert html.count('data-testid="missing"') == len(every) - 1 and 'data-testid="in-force"' in html


def test_S4_1_S5_3_the_demo_builds_each_state():
    from core.demo import seed_demo_tree
    from workflows.institutions.demo import seed_demo_institutions

    seed_demo_tree(write=lambda *args: None)
    made = seed_demo_institutions(write=None)
    assert len(made) == 4 and seed_demo_institutions(write=None) == []  # idempotent
    union = Body.objects.filter(union__code="fin-office").first().union
    rows = {(d.rules_type, d.version): d for d in RulesDocument.objects.filter(union=union)}
    assert rows[(UC, 1)].status == RulesStatus.SUPERSEDED and rows[(UC, 2)].status == RulesStatus.IN_FORCE
    assert rows[(RulesType.EXPENDITURE_APPROVAL, 1)].status == RulesStatus.IN_FORCE
    audit = rows[(RulesType.AUDIT_COMMITTEE, 1)]
    assert audit.status == RulesStatus.AUDIT_COMMITTEE
    assert body_item(audit).body.kind == BodyKind.AUDIT_COMMITTEE  # on its meeting's agenda
    missing = missing_rules([union.pk])[union.pk]
    assert RulesType.WOMEN_COMMITTEE in missing and UC not in missing
    assert RulesType.EXPENDITURE_APPROVAL not in missing
