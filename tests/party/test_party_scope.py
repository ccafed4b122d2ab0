"""The Party section of the home workbench (党组织工作台, S1.1–S1.3) and the permission matrix: a Party
member sees exactly the unions their organisation leads — through their own seat, or through the organ
Party committee whose body the unions' Party organisations are linked to — and nothing else; the section
reads a fixed number of queries however many unions it covers."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Body, BodyKind, Role
from core.services.permissions import party_link_set
from core.services.statutory import obligations_generate
from tests.factories import plan_sections, seated
from tests.pages import content
from tests.scenarios import at, open_item, plan_before_congress, travel
from tests.workbench.test_home import section
from workflows.models import Resolution
from workflows.party import hearings
from workflows.party.models import CatalogueItem, Matter
from workflows.party.services import Problem, hearing_create, hearing_submit, request_create, request_submit
from workflows.plan.models import PlanItem
from workflows.plan.services import plan_create, plan_save
from workflows.services.decisions import written_decision_record
from workflows.services.personal import personal_decide

pytestmark = pytest.mark.django_db

HOME = "/"
YEAR = 2027


@pytest.fixture(autouse=True)
def _in_2027():
    """The clock stands on 1 March 2027 (a test moves it on where it says so)."""
    with travel(at(YEAR, 3, 1, 10, 0)):
        yield


def people_of(union, prefix: str, *, chair=None) -> SimpleNamespace:
    """A union's office staff, chair (the one in office, if given) and Party secretary."""
    return SimpleNamespace(
        union=union,
        office=seated(union, Role.OFFICE_STAFF, username=f"{prefix}-office"),
        chair=chair or seated(union, Role.CHAIR, "union_committee", username=f"{prefix}-chair"),
        party=seated(union, Role.SECRETARY, "party_organization", username=f"{prefix}-party"),
    )


def a1_people(cast) -> SimpleNamespace:
    return SimpleNamespace(union=cast.union, office=cast.office, chair=cast.chair, party=cast.party_secretary)


def sent(people, matter=Matter.CONGRESS, title=None):
    """A request (or report) drafted, signed by the chair and sent to the union's Party organisation."""
    request = request_create(
        actor=people.office,
        union=people.union,
        items=[CatalogueItem.objects.get(union__isnull=True, matter=matter)],
        title=title or f"关于召开会员代表大会的请示（{people.union.name}）",
        text="拟于近期召开。",
    )
    request_submit(actor=people.office, request=request)
    personal_decide(
        work_item=open_item(request, "chair_sign"), actor=people.chair, resolution=Resolution.APPROVE
    )
    request.refresh_from_db()
    return request


def party_year(people, plan=None) -> SimpleNamespace:
    """A union's Party year so far: its obligations, a request awaiting its reply, a report acknowledged,
    the hearing heard with a problem to solve (S1.2) and a plan (a draft unless given) with an item
    deployed together with Party building."""
    union, today = people.union, timezone.localdate()
    obligations_generate(fiscal_year=YEAR, unions=[union])
    request = sent(people)
    report = sent(people, Matter.ACTIVITY, f"关于举办职工运动会的报告（{union.name}）")
    written_decision_record(
        work_item=open_item(report, "party_reply"),
        recorder=people.party,
        resolution=Resolution.APPROVE,
        reference_number="",
        decided_on=today,
    )
    hearing = hearing_create(
        actor=people.office, union=union, year=YEAR, report_kind="year_end", report="一年来工会工作……"
    )
    hearing_submit(actor=people.office, hearing=hearing)
    problem = f"职工书屋改造（{union.name}）"
    hearings.hearing_record(
        recorder=people.party,
        work_item=open_item(hearing, "party_hearing"),
        held_on=today,
        place="党委会议室",
        attendee_ids=[people.party.pk],
        matters_studied="听取工会年度工作汇报",
        problems=[Problem(problem, None, "工会办公室", today + datetime.timedelta(days=10))],
    )
    if plan is None:
        plan = plan_create(actor=people.office, union=union, year=YEAR)
        plan_save(actor=people.office, plan=plan, sections=plan_sections(owner=people.office))
    PlanItem.objects.filter(section__version__plan=plan, section__area="ideology").update(with_party=True)
    return SimpleNamespace(request=request, report=report, hearing=hearing, problem=problem, plan=plan)


def party_body(union) -> Body:
    return Body.objects.get(union=union, kind=BodyKind.PARTY_ORGANIZATION)


def organ_party_secretary(tree):
    """The secretary of the organ Party committee, whose body is department union A's Party body."""
    return seated(tree["dept_a"], Role.SECRETARY, "party_organization", username="organ-party")


def union_marks(party: str, tree, *names) -> set[str]:
    """Which of the named unions the Party section has a row for."""
    return {name for name in names if f'data-union="{tree[name].pk}"' in party}


def part(party: str, testid: str) -> str:
    """One part of the Party section: from its test id to the next part's (empty when not shown)."""
    start = party.find(f'data-testid="{testid}"')
    if start < 0:
        return ""
    end = party.find("data-testid=", start + len(testid) + 14)
    return party[start : end if end > 0 else len(party)]


def decision_url(request) -> str:
    return reverse("workflows:written_decision", args=[open_item(request, "party_reply").pk])


def test_S1_1_a_seat_on_a_unions_party_body_gives_the_section_for_that_union_only(tree, cast, login):
    own = sent(a1_people(cast))
    other = sent(people_of(tree["a2"], "a2"))
    html = content(login(cast.party_secretary).get(HOME))
    party = section(html, "wb-party")
    assert "党组织工作台" in party
    assert own.title in party and decision_url(own) in party  # the secretary records the reply
    assert other.title not in html
    assert union_marks(party, tree, "a1", "a2", "b1", "dept_a") == {"a1"}
    # nobody without a Party seat has the section
    for person in (cast.office, cast.chair, cast.outsider):
        assert section(content(login(person).get(HOME)), "wb-party") == ""


def test_S1_1_the_leading_bodys_secretary_acts_for_each_linked_union_and_sees_nothing_of_a_third(
    tree, cast, client
):
    b1 = people_of(tree["b1"], "b1", chair=cast.outsider)
    a2 = people_of(tree["a2"], "a2")
    requests = {"a1": sent(a1_people(cast)), "a2": sent(a2), "b1": sent(b1)}
    secretary = organ_party_secretary(tree)
    client.force_login(secretary)
    party = section(content(client.get(HOME)), "wb-party")
    assert union_marks(party, tree, "a1", "a2", "b1", "dept_a") == {"dept_a"}  # its own union only

    # when: a1's and a2's Party organisations are linked to the organ Party committee
    leader = party_body(tree["dept_a"])
    for name in ("a1", "a2"):
        party_link_set(body=party_body(tree[name]), led_by=leader)

    # then: the section covers both, each item links to its written-decision page, which opens
    html = content(client.get(HOME))
    party = section(html, "wb-party")
    assert union_marks(party, tree, "a1", "a2", "b1", "dept_a") == {"a1", "a2", "dept_a"}
    for name in ("a1", "a2"):
        assert requests[name].title in party
        assert decision_url(requests[name]) in party
        assert client.get(decision_url(requests[name])).status_code == 200
        assert client.get(reverse("union_detail", args=[tree[name].pk])).status_code == 200
    # a draft plan not yet before any Party organisation is listed, without a link its page would refuse
    draft = plan_create(actor=cast.office, union=cast.union, year=YEAR)
    plans = part(section(content(client.get(HOME)), "wb-party"), "wb-party-plans")
    assert draft.title in plans and reverse("plan:detail", args=[draft.pk]) not in plans
    # and nothing of a third union: not on the page, its union page and documents refused
    assert requests["b1"].title not in html and tree["b1"].name not in html
    for url in (
        reverse("union_detail", args=[tree["b1"].pk]),
        decision_url(requests["b1"]),
        reverse("party:request_detail", args=[requests["b1"].pk]),
        reverse("party:request_list", args=[tree["b1"].pk]),
    ):
        assert client.get(url).status_code == 404, url

    # when: a2 is unlinked, the same moment it is gone from the section and its pages refuse
    party_link_set(body=party_body(tree["a2"]), led_by=None)
    html = content(client.get(HOME))
    party = section(html, "wb-party")
    assert union_marks(party, tree, "a1", "a2", "b1", "dept_a") == {"a1", "dept_a"}
    assert requests["a2"].title not in html and requests["a1"].title in party
    assert client.get(decision_url(requests["a2"])).status_code == 404
    assert client.get(reverse("union_detail", args=[tree["a2"].pk])).status_code == 404


def test_S1_2_the_party_section_shows_replies_reports_the_hearing_the_five_ones_and_the_plan(
    tree, cast, login
):
    year = party_year(a1_people(cast), plan=plan_before_congress(cast, year=YEAR))
    member = seated(cast.union, Role.MEMBER, "party_organization", username="a1-party-member")
    with travel(at(YEAR, 3, 15, 10, 0)):  # the request's reply was due on 11 March
        party = section(content(login(cast.party_secretary).get(HOME)), "wb-party")
        members = section(content(login(member).get(HOME)), "wb-party")
    steps = part(party, "wb-party-steps")
    assert year.request.title in steps and "已逾期" in steps
    awaiting = part(party, "wb-party-awaiting-reply")
    assert year.request.title in awaiting and "已逾期" in awaiting
    assert reverse("party:request_detail", args=[year.request.pk]) in awaiting
    assert year.report.title in part(party, "wb-party-reports")
    # the yearly hearing (S1.2): met by the hearing, which is linked; its problem tracked
    hearing = part(party, "wb-party-hearings")
    assert "已完成" in hearing and reverse("party:hearing_detail", args=[year.hearing.pk]) in hearing
    assert year.problem in part(party, "wb-party-action-items")
    # the Five Ones: this year's obligations by status, S1.2 among the met
    five_ones = part(party, "wb-party-five-ones")
    assert "已完成 1" in five_ones and "同级党组织听取工会工作汇报" in five_ones
    assert "S1.2" not in party
    # planning together: one item of the seven deployed with Party building, and the plan's page (the
    # Party organisation consented to it)
    plans = part(party, "wb-party-plans")
    assert year.plan.title in plans and "共7项任务，其中1项与党建工作一起部署" in plans
    assert reverse("plan:detail", args=[year.plan.pk]) in plans
    # a member who does not record the reply reads the request's page instead of the decision page
    assert decision_url(year.request) in steps
    member_steps = part(members, "wb-party-steps")
    assert year.request.title in member_steps and decision_url(year.request) not in member_steps
    assert reverse("party:request_detail", args=[year.request.pk]) in member_steps


def _home_queries(client) -> int:
    client.get(HOME)  # warm: the first request of a session fills caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(queries)


def test_S1_1_the_party_section_reads_the_same_queries_for_one_or_three_led_unions(tree, cast, client):
    unions = {
        "a1": a1_people(cast),
        "a2": people_of(tree["a2"], "a2"),
        "b1": people_of(tree["b1"], "b1", chair=cast.outsider),
    }
    years = {name: party_year(people) for name, people in unions.items()}
    leader = party_body(tree["dept_a"])
    client.force_login(organ_party_secretary(tree))
    party_link_set(body=party_body(tree["a1"]), led_by=leader)
    one = _home_queries(client)
    for name in ("a2", "b1"):
        party_link_set(body=party_body(tree[name]), led_by=leader)
    three = _home_queries(client)
    party = section(content(client.get(HOME)), "wb-party")
    assert union_marks(party, tree, "a1", "a2", "b1") == {"a1", "a2", "b1"}
    assert all(y.request.title in party and y.problem in party for y in years.values())
    assert one == three, (one, three)
    assert three <= 26, three


def test_S1_1_the_leading_bodys_members_read_the_documents_before_the_party_organisations_they_lead(
    tree, cast, client
):
    """A plan before a1's Party organisation: the organ Party committee's member reads it once a1's Party
    organisation is linked to the committee, and no longer once it is unlinked."""
    from tests.factories import make_budget
    from tests.scenarios import drive, submit_draft

    budget = drive(submit_draft(make_budget(cast, year=YEAR), cast), cast, until="party_approval")
    leader = Body.objects.get(union=tree["b1"], kind=BodyKind.PARTY_ORGANIZATION)
    member = seated(tree["b1"], Role.MEMBER, BodyKind.PARTY_ORGANIZATION, username="organ-party-member")
    client.force_login(member)
    page = reverse("budget:detail", args=[budget.pk])
    assert client.get(page).status_code == 404
    party_link_set(body=cast.body("party_organization"), led_by=leader)
    assert client.get(page).status_code == 200
    party_link_set(body=cast.body("party_organization"), led_by=None)
    assert client.get(page).status_code == 404
