"""Demo: the contact system (S4.4), through the real services.

At fin-office the chair assigns five contacts to committee members and names the vice chair a reader of
the records of workers in difficulty; the members log their contacts. Every state is shown: the union
group 预算处工会小组 contacted this period, with an opinion carried into next year's plan (S2.2); a member
representative never contacted (overdue); an advanced figure contacted last period whose follow-up is
past due; a worker in difficulty (monthly) contacted this month, with a follow-up still open; a worker
representative contacted last period, due again this one. Idempotent: once fin-office has contacts,
nothing more is made.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Union, User

from . import services
from .models import Contact, ContactKind, Way
from .selectors import period_of, shift_months

DAY = datetime.timedelta(days=1)


def _user(suffix: str) -> User | None:
    return User.objects.filter(username=f"fin-office-{suffix}").first()


def _assign_all(union: Union, chair: User, assigned: datetime.date) -> dict[str, Contact]:
    """The five contacts, by the chair (who may record a worker in difficulty)."""
    specs = {
        "group": (
            "committee1",
            ContactKind.UNION_GROUP,
            {"contact_union": union.children.get(code="fin-office-g1")},
        ),
        "representative": (
            "committee1",
            ContactKind.MEMBER_REPRESENTATIVE,
            {"name": "李建国", "unit": "预算处", "phone": "13900001111"},
        ),
        "figure": ("committee2", ContactKind.ADVANCED_FIGURE, {"name": "王晓明", "unit": "国库处"}),
        "worker": ("women", ContactKind.WORKER_IN_DIFFICULTY, {"name": "赵秀英", "unit": "综合处"}),
        "worker_representative": (
            "audit",
            ContactKind.WORKER_REPRESENTATIVE,
            {"name": "陈志强", "unit": "会计处"},
        ),
    }
    return {
        key: services.contact_assign(
            actor=chair, union=union, member=_user(member), kind=kind, assigned_on=assigned, **fields
        )
        for key, (member, kind, fields) in specs.items()
    }


def _log_all(contacts: dict[str, Contact], chair: User, today: datetime.date) -> None:
    """The members' logs: this quarter, last quarter, this month; the representative never."""
    quarter, month = period_of(today, 3)[0], period_of(today, 1)[0]
    logs = [
        # contacted this period, with an opinion for next year's plan (S2.2)
        (
            "group",
            quarter,
            Way.VISIT,
            {"raised": "希望增加职工书屋藏书，开展读书分享活动。", "for_plan": True},
        ),
        # contacted last period, its follow-up past due
        (
            "figure",
            quarter - 20 * DAY,
            Way.TALK,
            {
                "raised": "劳模创新工作室需要场地。",
                "follow_up": "与机关事务部门协调工作室场地",
                "follow_up_owner_name": "工会办公室",
                "follow_up_due": quarter - 5 * DAY,
            },
        ),
        # a worker in difficulty, monthly: contacted this month, a follow-up still open
        (
            "worker",
            month,
            Way.VISIT,
            {
                "raised": "家属住院，医疗费用负担较重。",
                "follow_up": "协助申请困难职工帮扶资金",
                "follow_up_owner": chair,
                "follow_up_due": today + 14 * DAY,
            },
        ),
        # contacted last period: due again in this one
        ("worker_representative", shift_months(quarter, -3), Way.CALL, {}),
    ]
    for key, day, way, fields in logs:
        contact = contacts[key]
        services.contact_log(
            actor=contact.member, contact=contact, contacted_on=day, way=way, today=today, **fields
        )


@transaction.atomic
def seed_demo_contacts(*, write=print) -> list[str]:
    union = Union.objects.filter(code="fin-office").first()
    chair = _user("chair")
    if union is None or chair is None or union.contacts.exists():
        return []
    today = timezone.localdate(timezone=union.tz)
    contacts = _assign_all(union, chair, period_of(today, 3)[0] - 200 * DAY)
    _log_all(contacts, chair, today)
    services.difficulty_viewer_add(actor=chair, union=union, person=_user("vicechair"))
    if write:
        write(
            f"Contacts: {len(contacts)} at fin-office in every state (sign in as fin-office-committee1 for "
            "“my contacts”, fin-office-chair for the coverage)"
        )
    return [c.display_name for c in contacts.values()]


demo_seeders.register("contacts", seed_demo_contacts, order=89)
