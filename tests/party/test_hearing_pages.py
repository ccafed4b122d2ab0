"""The hearing pages (S1.2) with the test client: the office asks for a place on the Party
organisation's agenda and sends its report, the Party secretary opens the inbox's link and records the
hearing with its attendance, matters and problems, which meets S1.2; bad input refused in Chinese with
what was typed kept; the owner closes an action item; the supervisor above reads; outsiders see nothing."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from core.confirm import CONFIRM_FIELD, CONFIRM_VALUE
from core.models import Body, BodyKind, Event, Role
from core.services.permissions import party_link_set
from core.services.statutory import obligations_generate
from core.statutory import Obligation, ObligationStatus
from tests.factories import seated
from tests.pages import content, shown
from tests.scenarios import at, open_item
from workflows import errors as spine_errors
from workflows.party import errors, hearings
from workflows.party.models import ActionItem, Hearing, HearingStatus
from workflows.party.services import Problem, hearing_create, hearing_submit
from workflows.views import work_item_action

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)
DUE = "2027-01-31"
ROWS = 12  # the problems' rows the record form offers (forms_hearings.ProblemFormSet's extra)


@pytest.fixture(autouse=True)
def in_december_2026():
    """The hearing of 2026's work, on 6 December 2026."""
    with time_machine.travel(at(2026, 12, 6, 10, 0), tick=True):
        yield


def record_data(
    *,
    attendees,
    problems=(),
    held_on=TODAY,
    place="机关党委会议室",
    matters="听取工会年度工作汇报，研究职工之家建设。",
):
    """POST data of the record page; problems: (text, owner id or "", department, due), the other rows
    left empty as a browser sends them."""
    data = {
        "action": "record",
        "held_on": held_on.isoformat(),
        "place": place,
        "attendees": [str(p.pk) for p in attendees],
        "matters_studied": matters,
        "minutes": "",
        "problems-TOTAL_FORMS": str(ROWS),
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "50",
    }
    for n in range(ROWS):
        text, owner, department, due = problems[n] if n < len(problems) else ("", "", "", "")
        data.update(
            {
                f"problems-{n}-text": text,
                f"problems-{n}-owner": str(owner),
                f"problems-{n}-owner_department": department,
                f"problems-{n}-due_on": due,
            }
        )
    return data


def on_agenda(cast, year=2026) -> Hearing:
    hearing = hearing_create(
        actor=cast.office, union=cast.union, year=year, report_kind="year_end", report="一年来工会工作……"
    )
    hearing_submit(actor=cast.office, hearing=hearing)
    hearing.refresh_from_db()
    return hearing


def heard(cast, year=2026, owner=None) -> Hearing:
    """A hearing recorded with one problem owned by the chair (or ``owner``), one by a department."""
    hearing = on_agenda(cast, year)
    due = TODAY + datetime.timedelta(days=30)
    hearings.hearing_record(
        recorder=cast.party_secretary,
        work_item=open_item(hearing, "party_hearing"),
        held_on=TODAY,
        place="机关党委会议室",
        attendee_ids=[cast.party_secretary.pk],
        matters_studied="听取汇报",
        problems=[
            Problem("职工活动场地不足", (owner or cast.chair).pk, "", due),
            Problem("经费保障", None, "机关财务处", due),
        ],
    )
    hearing.refresh_from_db()
    return hearing


def record_url(item) -> str:
    return reverse("party:hearing_record", args=[item.pk])


def detail_url(hearing) -> str:
    return reverse("party:hearing_detail", args=[hearing.pk])


def item_hearing(item) -> Hearing:
    return Hearing.objects.get(process_id=item.process_id)


def test_S1_2_the_full_route_through_the_pages_meets_S1_2(cast, login):
    obligations_generate(fiscal_year=2026)
    # given: the office asks for a place on the agenda with its report, then sends it
    office = login(cast.office)
    asked = office.post(
        reverse("party:hearing_new", args=[cast.union.pk]),
        {"year": "2026", "report_kind": "year_end", "report": "一年来工会工作……", "wished_on": "2026-12-20"},
    )
    hearing = Hearing.objects.get()
    assert asked.status_code == 302 and asked["Location"] == detail_url(hearing)
    draft = content(office.get(detail_url(hearing)))
    assert "一年来工会工作" in draft and 'data-testid="submit"' in draft
    office.post(reverse("party:hearing_submit", args=[hearing.pk]))
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.ON_AGENDA

    # when: the Party secretary follows the inbox's link to the record page
    item = open_item(hearing, "party_hearing")
    url, _label = work_item_action(item)
    assert url == f"/work/{item.pk}/hearing/" == record_url(item)
    secretary = login(cast.party_secretary)
    assert url in content(secretary.get(reverse("workflows:my_work")))
    assert url in content(secretary.get(detail_url(hearing)))  # and one tap away on the hearing's page
    form_page = secretary.get(url)
    assert form_page.status_code == 200
    page = content(form_page)
    assert cast.party_secretary.full_name in page and cast.chair.full_name in page  # by name
    assert cast.party_secretary.username not in page and cast.chair.username not in page
    problems = [("职工活动场地不足", cast.chair.pk, "", DUE), ("经费保障", "", "机关财务处", DUE)]
    recorded = secretary.post(url, record_data(attendees=[cast.party_secretary], problems=problems))

    # then: the hearing's page shows the meeting and both problems; S1.2 is met for 2026
    assert recorded.status_code == 302 and recorded["Location"] == detail_url(hearing)
    page = content(secretary.get(detail_url(hearing)))
    assert "已记录听取汇报情况" in page  # the success message
    assert "机关党委会议室" in page and "研究职工之家建设" in page
    assert cast.party_secretary.full_name in page.split('data-testid="attendees"')[1][:200]
    assert "职工活动场地不足" in page and cast.chair.full_name in page
    assert "经费保障" in page and "机关财务处" in page and DUE in page
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HEARD
    owned = {(a.problem, a.owner_id, a.owner_department) for a in hearing.action_items.all()}
    assert owned == {
        ("职工活动场地不足", cast.chair.pk, ""),
        ("经费保障", None, "机关财务处"),
    }  # blank rows ignored
    ob = Obligation.objects.get(union=cast.union, code="S1.2", fiscal_year=2026)
    assert (ob.status, ob.met_on, ob.met_by) == (ObligationStatus.MET, TODAY, f"hearing:{hearing.pk}")


def test_S1_2_a_hearing_without_quorum_is_refused_with_the_input_kept(cast, login):
    hearing = on_agenda(cast)
    seated(cast.union, Role.MEMBER, BodyKind.PARTY_ORGANIZATION, username="a1-party-2")
    seated(cast.union, Role.MEMBER, BodyKind.PARTY_ORGANIZATION, username="a1-party-3")
    item = open_item(hearing, "party_hearing")
    client = login(cast.party_secretary)
    data = record_data(
        attendees=[cast.party_secretary],
        place="三楼小会议室",
        problems=[("职工书屋改造", cast.office.pk, "", DUE)],
    )
    response = client.post(record_url(item), data)
    page = content(response)
    assert response.status_code == 400
    assert "应到3人，实到1人" in page and "至少须2人出席" in page
    assert "三楼小会议室" in page and "研究职工之家建设" in page and "职工书屋改造" in page
    assert re.search(rf'name="attendees" value="{cast.party_secretary.pk}"[^>]*checked', page)  # still ticked
    assert Hearing.objects.get(pk=hearing.pk).status == HearingStatus.ON_AGENDA
    assert not ActionItem.objects.exists()


def test_S1_2_a_problem_without_owner_or_date_and_a_future_date_are_refused(cast, login):
    item = open_item(on_agenda(cast), "party_hearing")
    client = login(cast.party_secretary)
    response = client.post(
        record_url(item),
        record_data(attendees=[cast.party_secretary], problems=[("活动场地不足", "", "", "")]),
    )
    page = content(response)
    assert response.status_code == 400
    assert "第1项问题：请指定责任人或责任部门" in page and "第1项问题：请填写完成时限" in page
    assert "活动场地不足" in page
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client.post(
        record_url(item), record_data(attendees=[cast.party_secretary], held_on=tomorrow, place="五楼")
    )
    assert response.status_code == 400 and shown(errors.IN_FUTURE) in content(response)
    assert "五楼" in content(response)
    assert open_item(item_hearing(item), "party_hearing").pk == item.pk


def test_S1_2_the_party_organisation_returns_the_report_with_its_reasons_and_the_office_revises(cast, login):
    hearing = on_agenda(cast)
    item = open_item(hearing, "party_hearing")
    secretary = login(cast.party_secretary)
    refused = secretary.post(record_url(item), {"action": "return", "opinions": " "})
    assert refused.status_code == 400 and shown(errors.RETURN_NEEDS_REASON) in content(refused)
    returned = secretary.post(record_url(item), {"action": "return", "opinions": "请补充经费使用情况。"})
    assert returned.status_code == 302 and returned["Location"] == detail_url(hearing)
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.RETURNED
    office = login(cast.office)
    edit = content(office.get(reverse("party:hearing_edit", args=[hearing.pk])))
    assert "请补充经费使用情况" in edit  # the reasons, on the banner
    saved = office.post(
        reverse("party:hearing_edit", args=[hearing.pk]),
        {"year": "2026", "report_kind": "special", "report": "补充了经费使用情况。"},
    )
    assert saved.status_code == 302
    office.post(reverse("party:hearing_submit", args=[hearing.pk]))
    hearing.refresh_from_db()
    assert (hearing.status, hearing.report_kind, hearing.year) == (HearingStatus.ON_AGENDA, "special", 2026)


def test_S1_2_the_office_withdraws_a_draft_after_the_question(cast, login):
    hearing = hearing_create(
        actor=cast.office, union=cast.union, year=2026, report_kind="year_end", report="一年来工会工作……"
    )
    office = login(cast.office)
    url = reverse("party:hearing_withdraw", args=[hearing.pk])
    assert office.post(url).status_code == 200  # asked first
    office.post(url, {CONFIRM_FIELD: CONFIRM_VALUE})
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.WITHDRAWN


def test_S1_2_outsiders_get_404_on_every_hearing_page_and_post(cast, login):
    waiting = on_agenda(cast, 2025)
    done = heard(cast)
    action = done.action_items.first()
    item = open_item(waiting, "party_hearing")
    client = login(cast.outsider)
    pages = [
        reverse("party:hearing_list", args=[cast.union.pk]),
        reverse("party:hearing_new", args=[cast.union.pk]),
        detail_url(done),
        reverse("party:hearing_edit", args=[waiting.pk]),
        record_url(item),
    ]
    posts = [
        *pages,
        reverse("party:hearing_submit", args=[waiting.pk]),
        reverse("party:hearing_withdraw", args=[waiting.pk]),
        reverse("party:action_item_close", args=[action.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert (
            client.post(url, {"note": "完成", "opinions": "退回", **record_data(attendees=[])}).status_code
            == 404
        ), url
    assert Hearing.objects.get(pk=waiting.pk).status == HearingStatus.ON_AGENDA
    assert ActionItem.objects.filter(closed_on__isnull=True).count() == 2
    assert Event.objects.filter(verb="access_denied", actor=cast.outsider).count() == len(pages) + len(posts)


def test_S1_2_a_party_member_who_does_not_record_is_told_so_with_403(cast, login):
    member = seated(cast.union, Role.MEMBER, BodyKind.PARTY_ORGANIZATION, username="a1-party-member")
    hearing = on_agenda(cast)
    item = open_item(hearing, "party_hearing")
    client = login(member)
    refused = client.get(record_url(item))
    assert refused.status_code == 403
    body = Body.objects.get(union=cast.union, kind=BodyKind.PARTY_ORGANIZATION)
    assert shown(spine_errors.NOT_A_RECORDER, body=body.display_name) in content(refused)
    assert client.post(record_url(item), record_data(attendees=[member])).status_code == 403
    assert client.get(detail_url(hearing)).status_code == 200  # a member reads it
    assert Hearing.objects.get(pk=hearing.pk).status == HearingStatus.ON_AGENDA


def test_S1_2_the_owner_closes_an_action_item_and_others_may_not(cast, login):
    hearing = heard(cast)
    mine = hearing.action_items.get(owner=cast.chair)
    close = reverse("party:action_item_close", args=[mine.pk])
    member = login(cast.committee_members[0])
    assert 'data-testid="close-form' not in content(member.get(detail_url(hearing)))
    assert member.post(close, {f"close-{mine.pk}-note": "已解决"}).status_code == 403
    chair = login(cast.chair)
    assert f'data-testid="close-form-{mine.pk}"' in content(chair.get(detail_url(hearing)))
    empty = chair.post(close, {f"close-{mine.pk}-note": "  "})
    assert empty.status_code == 400 and shown(errors.ACTION_NOTE_EMPTY) in content(empty)
    assert f'data-testid="close-form-{mine.pk}"' in content(empty)  # the page again, the form kept
    closed = chair.post(close, {f"close-{mine.pk}-note": "腾出二楼活动室，已投入使用。"})
    assert closed.status_code == 302 and closed["Location"] == detail_url(hearing)
    page = content(chair.get(detail_url(hearing)))
    assert "腾出二楼活动室" in page and "2026-12-06" in page
    mine.refresh_from_db()
    assert (mine.closed_on, mine.closed_by) == (TODAY, cast.chair)


def test_S1_2_the_upper_unions_supervisor_reads_but_does_not_record_or_close(
    cast, login, tree, supervisor_of
):
    hearing = heard(cast)
    waiting = on_agenda(cast, 2025)
    client = login(supervisor_of(tree["dept_a"]))
    page = content(client.get(detail_url(hearing)))
    assert "职工活动场地不足" in page and cast.chair.full_name in page and "机关财务处" in page
    assert 'data-testid="close-form' not in page
    assert client.get(reverse("party:hearing_list", args=[cast.union.pk])).status_code == 200
    item = open_item(waiting, "party_hearing")
    assert client.get(record_url(item)).status_code == 403
    assert client.post(record_url(item), record_data(attendees=[cast.party_secretary])).status_code == 403
    action = hearing.action_items.first()
    refused = client.post(
        reverse("party:action_item_close", args=[action.pk]), {f"close-{action.pk}-note": "完成"}
    )
    assert refused.status_code == 403
    assert not ActionItem.objects.filter(closed_on__isnull=False).exists()


def test_S1_2_the_hearing_list_shows_each_year_in_bounded_queries(cast, login, django_assert_max_num_queries):
    for year in (2024, 2025, 2026):
        heard(cast, year)
    hearings.action_item_close(actor=cast.office, item=ActionItem.objects.first(), note="已办结")
    client = login(cast.office)
    url = reverse("party:hearing_list", args=[cast.union.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        page = content(client.get(url))
    for year in (2024, 2025, 2026):
        assert f'data-testid="year-{year}"' in page
    assert page.count("督办事项：2项未办结，0项已办结") == 2 and "督办事项：1项未办结，1项已办结" in page
    assert 'data-testid="new-hearing"' in page
    party_page = content(login(cast.party_secretary).get(url))  # a Party member reads, does not ask
    assert 'data-testid="year-2026"' in party_page and 'data-testid="new-hearing"' not in party_page


def test_S1_1_the_organ_party_committee_leading_the_union_records_its_hearing(cast, login, tree):
    leader = Body.objects.get(union=tree["b1"], kind=BodyKind.PARTY_ORGANIZATION)
    secretary = seated(tree["b1"], Role.SECRETARY, BodyKind.PARTY_ORGANIZATION, username="organ-party")
    party_link_set(body=cast.body("party_organization"), led_by=leader)
    hearing = on_agenda(cast)
    item = open_item(hearing, "party_hearing")
    client = login(secretary)
    page = content(client.get(record_url(item)))
    assert secretary.full_name in page  # the leading body's seats take the attendance
    response = client.post(record_url(item), record_data(attendees=[secretary]))
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HEARD and hearing.meeting.body == leader
    assert client.get(detail_url(hearing)).status_code == 200
