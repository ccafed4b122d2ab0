"""S1.3 through its pages: the office drafts a request for instructions, the chair signs it on the shared
decision page, the Party organisation replies on the shared written-decision page in the kind's own
words, the office records how it was carried out; one matter per document; a report acknowledged; the
catalogue overridden by a union and its department union; outsiders and non-drafters refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.confirm import CONFIRM_FIELD, CONFIRM_VALUE
from core.models import Body, BodyKind, Event, Role
from core.services.permissions import party_link_set
from tests.factories import seated
from tests.pages import content, shown
from tests.scenarios import open_item, travel
from workflows.party import errors
from workflows.party.models import (
    CatalogueItem,
    InstructionRequest,
    Matter,
    Reply,
    RequestStatus,
)
from workflows.party.services import request_create, request_submit
from workflows.services.personal import personal_decide

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def default(matter: str) -> CatalogueItem:
    return CatalogueItem.objects.get(union__isnull=True, matter=matter)


def drafted(cast, matter=Matter.CONGRESS, title="关于召开第三次会员代表大会的请示") -> InstructionRequest:
    return request_create(
        actor=cast.office, union=cast.union, items=[default(matter)], title=title, text="拟于明年三月召开。"
    )


def at_reply(cast, matter=Matter.CONGRESS, title="关于召开第三次会员代表大会的请示") -> InstructionRequest:
    """Drafted, sent and signed: awaiting the Party organisation's reply."""
    request = drafted(cast, matter, title)
    request_submit(actor=cast.office, request=request)
    personal_decide(work_item=open_item(request, "chair_sign"), actor=cast.chair, resolution="approve")
    request.refresh_from_db()
    return request


def detail_url(request) -> str:
    return reverse("party:request_detail", args=[request.pk])


def written_url(request) -> str:
    return reverse("workflows:written_decision", args=[open_item(request, "party_reply").pk])


def test_S1_3_the_whole_route_through_the_pages_from_draft_to_filed(cast, login):
    # given: the office drafts the request on the catalogue's item
    office = login(cast.office)
    new = reverse("party:request_new", args=[cast.union.pk])
    page = content(office.get(new))
    assert "本请示（报告）涉及的事项" in page and "召开会员（代表）大会" in page
    response = office.post(
        new,
        {
            "items": [default(Matter.CONGRESS).pk],
            "title": "关于召开第三次会员代表大会的请示",
            "text": "拟于三月召开。",
        },
    )
    request = InstructionRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(request)
    assert (request.kind, request.status) == ("request", RequestStatus.DRAFT)
    page = content(office.get(detail_url(request)))
    assert "送主席签发" in page and 'data-testid="chain"' in page
    # when: sent to the chair, who signs on the shared decision page reached from the request's page
    office.post(reverse("party:request_submit", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == RequestStatus.CHAIR_SIGN
    chair = login(cast.chair)
    decide = reverse("workflows:personal_decision", args=[open_item(request, "chair_sign").pk])
    assert decide in content(chair.get(detail_url(request)))
    assert chair.post(decide, {"resolution": "approve"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_REPLY
    # the Party secretary sees it and replies on the written-decision page: agreed, with instructions
    secretary = login(cast.party_secretary)
    written = written_url(request)
    page = content(secretary.get(detail_url(request)))
    assert written in page
    page = content(secretary.get(written))
    assert "同意并作出指示" in page and "不同意" in page
    response = secretary.post(
        written,
        {
            "resolution": "instructions",
            "reference_number": "机党〔2026〕7号",
            "decided_on": TODAY().isoformat(),
            "opinions": "控制会期，节约办会。",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail_url(request)
    request.refresh_from_db()
    assert (request.status, request.reply) == (RequestStatus.CARRYING_OUT, Reply.AGREE_WITH_INSTRUCTIONS)
    page = content(secretary.get(detail_url(request)))
    assert "机党〔2026〕7号" in page and "控制会期，节约办会。" in page
    # then: the office records how it was carried out, and it is filed
    office = login(cast.office)
    page = content(office.get(detail_url(request)))
    assert 'data-testid="carry-out-form"' in page
    carried = reverse("party:carried_out", args=[request.pk])
    refused = office.post(carried, {"text": "  "})
    assert refused.status_code == 400 and shown(errors.CARRIED_OUT_EMPTY) in content(refused)
    response = office.post(carried, {"text": "会期压缩为半天，已按要求办理。"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.FILED and request.carried_out_on == TODAY()
    page = content(office.get(detail_url(request)))
    assert "会期压缩为半天" in page and "同意并作出指示" in page and 'data-testid="carried-out"' in page
    assert 'data-testid="carry-out-form"' not in page and "a1-office" not in page


def test_S1_3_two_matters_are_refused_in_chinese_and_what_was_typed_is_kept(cast, login):
    client = login(cast.office)
    response = client.post(
        reverse("party:request_new", args=[cast.union.pk]),
        {
            "items": [default(Matter.CONGRESS).pk, default(Matter.ELECTION).pk],
            "title": "关于召开大会和换届选举的请示",
            "text": "两件事一并请示。",
        },
    )
    page = content(response)
    assert response.status_code == 400
    assert shown(errors.ONE_MATTER) in page and "一文一事" in page
    assert "关于召开大会和换届选举的请示" in page and "两件事一并请示。" in page
    assert page.count("checked") == 2  # both ticks kept
    assert not InstructionRequest.objects.exists()
    assert Event.objects.filter(verb="action_refused", union=cast.union).exists()
    # none ticked: told to choose one
    response = client.post(
        reverse("party:request_new", args=[cast.union.pk]), {"title": "关于某事的请示", "text": "内容"}
    )
    assert response.status_code == 400 and shown(errors.NO_MATTER) in content(response)


def test_S1_3_the_catalogue_row_opens_a_draft_with_its_form_and_only_title_and_text_change(cast, login):
    client = login(cast.office)
    item = default(Matter.ELECTION)
    page = content(client.get(reverse("party:request_new", args=[cast.union.pk]) + f"?item={item.pk}"))
    assert "妥否，请批示。" in page and f'value="{item.pk}" class="form-check-input" id="id_items_' in page
    request = drafted(cast)
    edit = reverse("party:request_edit", args=[request.pk])
    assert 'name="items"' not in content(client.get(edit))
    client.post(edit, {"title": "关于召开第三次会员代表大会的请示（修改）", "text": "改为四月召开。"})
    request.refresh_from_db()
    assert (request.title, request.text) == ("关于召开第三次会员代表大会的请示（修改）", "改为四月召开。")


def test_S1_3_agreed_with_instructions_text_is_refused_by_the_written_form(cast, login):
    request = at_reply(cast)
    client = login(cast.party_secretary)
    response = client.post(
        written_url(request),
        {
            "resolution": "approve",
            "reference_number": "机党〔2026〕9号",
            "decided_on": TODAY().isoformat(),
            "opinions": "注意控制规模。",
        },
    )
    page = content(response)
    assert response.status_code == 400
    assert "takes no instructions" not in page and "同意并作出指示" in page
    assert escape("选择“同意”时不填写指示") in page
    assert 'value="机党〔2026〕9号"' in page and "注意控制规模。" in page
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_REPLY and not request.reply


def test_S1_3_a_report_is_acknowledged_without_a_reference_number(cast, login):
    report = at_reply(cast, Matter.ACTIVITY, "关于举办职工运动会的报告")
    assert report.kind == "report"
    client = login(cast.party_secretary)
    page = content(client.get(written_url(report)))
    assert "已阅知" in page and "退回补充" in page and "同意并作出指示" not in page
    response = client.post(written_url(report), {"resolution": "approve", "decided_on": TODAY().isoformat()})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.reply, report.reply_reference) == (
        RequestStatus.FILED,
        Reply.ACKNOWLEDGED,
        "",
    )
    assert "已阅知" in content(client.get(detail_url(report)))


def test_S1_3_the_drafter_withdraws_until_the_reply_after_being_asked(cast, login):
    request = at_reply(cast)
    client = login(cast.office)
    url = reverse("party:request_withdraw", args=[request.pk])
    asked = client.post(url)
    assert asked.status_code == 200 and CONFIRM_FIELD in content(asked)
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_REPLY
    client.post(url, {CONFIRM_FIELD: CONFIRM_VALUE})
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert 'data-testid="withdraw"' not in content(client.get(detail_url(request)))


def test_S1_3_every_page_refuses_the_outsider(cast, login, tree, supervisor_of):
    request = at_reply(cast)
    union = cast.union.pk
    others = [
        cast.outsider,
        seated(tree["b1"], Role.OFFICE_STAFF, username="b1-office"),
        seated(tree["b1"], Role.SECRETARY, "party_organization", username="b1-party"),
        supervisor_of(tree["dept_b"]),
    ]
    for other in others:
        client = login(other)
        for url in (
            reverse("party:catalogue", args=[union]),
            reverse("party:request_list", args=[union]),
            reverse("party:request_new", args=[union]),
            detail_url(request),
            reverse("party:request_edit", args=[request.pk]),
        ):
            assert client.get(url).status_code == 404, url
        for url in (
            reverse("party:catalogue", args=[union]),
            reverse("party:request_new", args=[union]),
            reverse("party:request_edit", args=[request.pk]),
            reverse("party:request_submit", args=[request.pk]),
            reverse("party:request_withdraw", args=[request.pk]),
            reverse("party:carried_out", args=[request.pk]),
        ):
            posted = client.post(url, {"text": "x", "title": "x", CONFIRM_FIELD: CONFIRM_VALUE})
            assert posted.status_code == 404, url
        assert client.post(written_url(request), {"resolution": "approve"}).status_code in (403, 404)
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_REPLY
    assert not CatalogueItem.objects.filter(union__isnull=False).exists()


def test_S1_1_an_organ_party_committee_reads_what_the_unions_it_leads_sent_to_it(cast, login, tree):
    leader = Body.objects.get(union=tree["b1"], kind=BodyKind.PARTY_ORGANIZATION)
    organ = seated(tree["b1"], Role.MEMBER, "party_organization", username="organ-member")
    sent = at_reply(cast)
    draft = drafted(cast, Matter.STAFF, "关于任用专职工会干部的请示")
    client = login(organ)
    assert client.get(detail_url(sent)).status_code == 404  # not led yet
    party_link_set(body=cast.body("party_organization"), led_by=leader)
    page = content(client.get(reverse("party:request_list", args=[cast.union.pk])))
    assert sent.title in page and draft.title not in page
    assert client.get(detail_url(sent)).status_code == 200
    assert client.get(detail_url(draft)).status_code == 404
    assert client.post(reverse("party:request_submit", args=[sent.pk])).status_code == 403


def test_S1_3_a_union_member_without_the_drafting_right_gets_403_on_every_post(cast, login):
    request = at_reply(cast)
    member = cast.committee_members[0]  # sees the union's documents, drafts none
    client = login(member)
    assert client.get(detail_url(request)).status_code == 200
    assert client.get(reverse("party:request_new", args=[cast.union.pk])).status_code == 403
    for url in (
        reverse("party:catalogue", args=[cast.union.pk]),
        reverse("party:request_new", args=[cast.union.pk]),
        reverse("party:request_edit", args=[request.pk]),
        reverse("party:request_submit", args=[request.pk]),
        reverse("party:request_withdraw", args=[request.pk]),
        reverse("party:carried_out", args=[request.pk]),
    ):
        assert (
            client.post(url, {"text": "x", "title": "x", CONFIRM_FIELD: CONFIRM_VALUE}).status_code == 403
        ), url
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_REPLY


def test_S1_3_the_list_shows_reply_and_overdue_in_bounded_queries(cast, login, django_assert_max_num_queries):
    with travel(timezone.now() - datetime.timedelta(days=15)):
        awaiting = at_reply(cast)  # its reply was due five days ago
    drafted(cast, Matter.ACTIVITY, "关于举办职工运动会的报告")
    client = login(cast.office)
    url = reverse("party:request_list", args=[cast.union.pk])
    page = content(client.get(url))
    assert page.index("关于举办职工运动会的报告") < page.index(awaiting.title)  # newest first
    assert page.count('data-testid="overdue"') == 1 and 'data-testid="new-request"' in page
    for n in range(5):
        drafted(cast, Matter.STAFF, f"关于任用专职工会干部的请示{n}")
    with django_assert_max_num_queries(8):
        page = content(client.get(url))
    assert page.count('data-testid="request-row"') == 7
    # the Party secretary reads what was sent to the Party organisation, not the drafts
    page = content(login(cast.party_secretary).get(url))
    assert awaiting.title in page and "关于举办职工运动会的报告" not in page
    assert 'data-testid="new-request"' not in page


def test_S1_3_a_unions_override_wins_over_the_default_and_its_department_row_over_both_below(
    cast, login, tree, sibling
):
    # given: the department union A sets the congress item for the unions below it
    department_office = seated(tree["dept_a"], Role.OFFICE_STAFF, username="dept-a-office")
    data = {
        "matter": Matter.CONGRESS,
        "title": "召开会员（代表）大会",
        "kind": "request",
        "procedure": "提前一个月请示。",
        "template": "",
        "replier": "机关党委",
        "reply_days": "20",
        "active": "on",
    }
    response = login(department_office).post(reverse("party:catalogue", args=[tree["dept_a"].pk]), data)
    assert response.status_code == 302
    for union, reader in ((tree["a1"], cast.office), (tree["a2"], sibling)):
        page = content(login(reader).get(reverse("party:catalogue", args=[union.pk])))
        row = page[page.index('data-testid="catalogue-congress"') :]
        assert "提前一个月请示。" in row[:2000] and "20 天" in row[:2000] and "上级工会" in row[:2000]
    # when: a1 sets its own activity item as a request with 5 days, and switches election off
    client = login(cast.office)
    url = reverse("party:catalogue", args=[cast.union.pk])
    page = content(client.get(url + f"?matter={Matter.ACTIVITY}"))
    assert 'value="重大活动"' in page  # the form opens on the row shown
    client.post(url, {**data, "matter": Matter.ACTIVITY, "title": "重大活动", "reply_days": "5"})
    client.post(url, {**data, "matter": Matter.ELECTION, "title": "换届选举", "active": ""})
    bad = client.post(url, {**data, "reply_days": "0"})
    assert bad.status_code == 400 and "提前一个月请示。" in content(bad)
    # then: a1's own rows win; a2 keeps the default; the department's row still reaches a1
    page = content(client.get(url))
    row = page[page.index('data-testid="catalogue-activity"') :][:2000]
    assert "5 天" in row and "本工会" in row
    assert 'data-testid="catalogue-election"' not in page and "委员会换届选举和补选" in page  # not listed
    a1_items = {item.matter: item for item in CatalogueItem.objects.filter(union=cast.union)}
    assert a1_items[Matter.ACTIVITY].kind == "request" and not a1_items[Matter.ELECTION].active
    page = content(login(sibling).get(reverse("party:catalogue", args=[tree["a2"].pk])))
    assert 'data-testid="catalogue-election"' in page
    client = login(cast.office)
    assert Event.objects.filter(verb="catalogue_item_overridden", union=cast.union).count() == 2
    # a request drafted on the union's own item is a request, its reply due in 5 days
    own = a1_items[Matter.ACTIVITY]
    client.post(
        reverse("party:request_new", args=[cast.union.pk]),
        {"items": [own.pk], "title": "关于举办职工运动会的请示", "text": "拟于五月举办。"},
    )
    request = InstructionRequest.objects.get(item=own)
    assert request.kind == "request"
    request_submit(actor=cast.office, request=request)
    personal_decide(work_item=open_item(request, "chair_sign"), actor=cast.chair, resolution="approve")
    request.refresh_from_db()
    assert request.reply_due == TODAY() + datetime.timedelta(days=5)
    # the default item, no longer a1's, is not offered: refused if forged
    forged = client.post(
        reverse("party:request_new", args=[cast.union.pk]),
        {"items": [default(Matter.ACTIVITY).pk], "title": "关于举办职工运动会的报告", "text": "x"},
    )
    assert forged.status_code == 400 and InstructionRequest.objects.count() == 1
    # a committee member reads the catalogue, without the form
    page = content(login(cast.committee_members[0]).get(url))
    assert 'data-testid="override-form"' not in page and 'data-testid="catalogue"' in page
