"""Demo: the people who do union work (S4.2), through the real services.

At fin-office (180 members, below the 200 of the Trade Union Law: no gap) a part-time chair, an activist
and a social union worker whose contract ends in 20 days; at the finance department's organ union fin
(620 members) part-time officers only, so its roster shows the missing full-time chair. Idempotent: once
the unions have roster entries, nothing more is made.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Union, User

from . import services
from .models import Category, RosterEntry


def _user(code: str, suffix: str) -> User | None:
    return User.objects.filter(username=f"{code}-{suffix}").first()


@transaction.atomic
def seed_demo_roster(*, write=print) -> list[str]:
    unions = {u.code: u for u in Union.objects.filter(code__in=("fin-office", "fin"))}
    if len(unions) < 2 or RosterEntry.objects.filter(union__in=unions.values()).exists():
        return []
    today = timezone.localdate()
    office, fin = unions["fin-office"], unions["fin"]
    made = [
        services.roster_entry_add(
            actor=_user("fin-office", "chair"),
            union=office,
            category=Category.PART_TIME_OFFICER,
            person=_user("fin-office", "chair"),
            position="工会主席（兼职）",
        ),
        services.roster_entry_add(
            actor=_user("fin-office", "chair"),
            union=office,
            category=Category.ACTIVIST,
            person=_user("fin-office", "rep1"),
            position="文体活动骨干",
        ),
        services.roster_entry_add(
            actor=_user("fin-office", "chair"),
            union=office,
            category=Category.SOCIAL_WORKER,
            name="陈晓雯",
            position="社会化工会工作者",
            contract_start=today - datetime.timedelta(days=345),
            contract_end=today + datetime.timedelta(days=20),
            tasks="会员信息管理、困难职工帮扶台账、职工服务站值守",
        ),
        services.roster_entry_add(
            actor=_user("fin", "chair"),
            union=fin,
            category=Category.PART_TIME_OFFICER,
            person=_user("fin", "chair"),
            position="工会主席（兼职）",
        ),
        services.roster_entry_add(
            actor=_user("fin", "chair"),
            union=fin,
            category=Category.PART_TIME_OFFICER,
            person=_user("fin", "office"),
            position="工会办公室干事",
        ),
    ]
    if write:
        write(f"Roster: {len(made)} entries at fin-office and fin (fin lacks a full-time chair)")
    return [entry.display_name for entry in made]


demo_seeders.register("roster", seed_demo_roster, order=86)
