"""What the Model Workers' Home tests share (S5.1, S5.2): the provincial organs union's and department
union A's officers, the standard of 2026 adopted and published, and every piece of evidence a1 can hold."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.models import Role, Union, User
from tests.factories import make_plan, seated
from tests.scenarios import budget_in_force
from tests.surveys.factories import make_survey_with_answers
from workflows.contacts.services import contact_assign, contact_log
from workflows.modelhome import services, standards
from workflows.modelhome.models import HomeApplication, HomeStandard
from workflows.services.decisions import meeting_record
from workflows.training.services import training_record

YEAR = 2026
MANUAL = "场所清单、开放制度和照片：职工书屋、健身室。"


@dataclass
class Home:
    prov: Union
    prov_office: User
    prov_chair: User
    dept_office: User
    dept_chair: User
    standard: HomeStandard


def make_home(tree, *, year: int = YEAR, publish: bool = True) -> Home:
    prov_office = seated(tree["prov"], Role.OFFICE_STAFF, username="prov-office")
    prov_chair = seated(tree["prov"], Role.CHAIR, "union_committee", username="prov-chair")
    dept_office = seated(tree["dept_a"], Role.OFFICE_STAFF, username="dept-a-office")
    dept_chair = seated(tree["dept_a"], Role.CHAIR, "union_committee", username="dept-a-chair")
    standard = standards.standard_adopt_shipped(union=tree["prov"], year=year, by=prov_office)
    if publish:
        standard = standards.standard_publish(standard=standard, by=prov_office)
    return Home(tree["prov"], prov_office, prov_chair, dept_office, dept_chair, standard)


def full_evidence(cast, *, year: int = YEAR) -> dict:
    """a1 holds every automatic piece of evidence of ``year``: its budget in force, a union committee
    meeting, its rules and institutions in force, a study, a contact logged, its workers given (rate
    95 %), a closed satisfaction survey and a plan. Returns the plan."""
    union = cast.union
    budget_in_force(cast, year=year)
    rules_all_in_force(cast)
    day = datetime.date(year, 3, 10)
    meeting_record(
        body=cast.body("union_committee"),
        recorder=cast.chair,
        held_on=day,
        place="会议室",
        attendee_ids=[p.pk for p in cast.committee],
        votes=[],
        minutes="研究模范职工之家创建工作。",
    )
    training_record(
        actor=cast.office,
        union=union,
        kind="study",
        held_on=day,
        topic="学习工会章程",
        trainer="王老师",
        participant_ids=[cast.chair.pk, cast.office.pk],
    )
    contact = contact_assign(
        actor=cast.chair,
        union=union,
        member=cast.committee_members[0],
        kind="member_representative",
        name="李建国",
        assigned_on=day,
    )
    contact_log(
        actor=contact.member, contact=contact, contacted_on=day, today=day, way="visit", raised="建议"
    )
    make_survey_with_answers(union, answers=[[5, 5, 5]] * 4)
    Union.objects.filter(pk=union.pk).update(member_count=95, worker_count=100)
    union.refresh_from_db()
    return {"plan": make_plan(cast, year=year)}


def enter_manual(application: HomeApplication, actor, *, plan=None) -> None:
    """The union's own evidence for every manual criterion that needs it, and a plan task linked to the
    plan criterion (S5.1)."""
    from workflows.modelhome.selectors import plan_item_choices, scores_of

    items = [i.pk for i in plan_item_choices(application.union, application.year)][:1]
    entries = {}
    for score in scores_of(application):
        entry = {"self_score": score.criterion.points, "evidence": MANUAL}
        if score.criterion.evidence_source == "plan_tasks":
            entry["plan_items"] = items
        entries[score.criterion_id] = entry
    services.scores_save(actor=actor, application=application, entries=entries)


def rules_all_in_force(cast) -> None:
    """S4.1, S5.3: every working rules and institution a1 needs, approved by its body's meeting (one
    meeting per body, deciding all its items)."""
    from core.models import Body
    from tests.institutions.helpers import body_item, sent
    from workflows.institutions.selectors import missing_rules
    from workflows.services.decisions import AgendaVote

    women = [seated(cast.union, Role.DIRECTOR, "women_committee")]
    women += [seated(cast.union, Role.MEMBER, "women_committee") for _n in range(2)]
    by_body: dict[int, list] = {}
    for rules_type in missing_rules([cast.union.pk])[cast.union.pk]:
        item = body_item(sent(cast, rules_type))
        by_body.setdefault(item.body_id, []).append(item)
    recorders = {
        "union_committee": cast.chair,
        "audit_committee": cast.audit_director,
        "women_committee": women[0],
    }
    for body_id, items in by_body.items():
        body = Body.objects.get(pk=body_id)
        members = list(body.seats.in_force().values_list("person_id", flat=True))
        meeting_record(
            body=body,
            recorder=recorders[body.kind],
            held_on=datetime.date.today(),
            place="会议室",
            attendee_ids=members,
            votes=[AgendaVote(item.pk, "approve", votes_for=len(members)) for item in items],
        )
