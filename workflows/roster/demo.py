"""Demo: the people who do union work (S4.2), through the real services.

At fin-office (180 members, below the 200 of the Trade Union Law: no gap) a part-time chair, an activist
and a social union worker whose contract ends in 20 days; at the finance department's organ union fin
(620 members) part-time officers only, so its roster shows the missing full-time chair. Idempotent: once
the unions have roster entries, nothing more is made.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import demo_seeders
from core.models import Body, BodyKind, Role, Seat, Union, User
from core.services.seats import seat_end

from . import services
from .models import Category, ReElection, RosterEntry
from .reelection import add_years, reelection_record


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


# --- re-elections (换届, S4.1/S4.2) ----------------------------------------------------------------------

DUE_IN_DAYS = 60  # the women workers' committee's term ends within the 90 days the page marks


def _term_ends_soon(body: Body, *, end: datetime.date) -> bool:
    """The demo tree gives every committee one long term; this one was elected for a shorter one,
    ending ``end``: its seats end that day (seat_end, as on the seats page), then the term."""
    if body.term_end is not None and body.term_end <= end:
        return False
    running = Seat.objects.filter(body=body, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=end)
    )
    for seat in running.order_by("id"):
        seat_end(actor=None, seat=seat, end_date=end)
    body.term_end = end
    body.full_clean()
    body.save(update_fields=["term_end"])
    return True


@transaction.atomic
def seed_demo_reelections(*, write=print) -> list[str]:
    """At fin-office: the fund audit committee re-elected 20 days ago by the member representative
    congress (its director re-elected, one member leaving, a representative joining), and the women
    workers' committee's term ending in 60 days (due). Idempotent: once fin-office has a re-election,
    nothing more is made."""
    office = Union.objects.filter(code="fin-office").first()
    if office is None or ReElection.objects.filter(union=office).exists():
        return []
    chair, director, joining = (_user("fin-office", s) for s in ("chair", "audit", "rep2"))
    if None in (chair, director, joining):
        return []
    today = timezone.localdate(timezone=office.tz)
    audit = Body.objects.get(union=office, kind=BodyKind.AUDIT_COMMITTEE)
    elected_on = today - datetime.timedelta(days=20)
    done = reelection_record(
        actor=chair,
        body=audit,
        elected_on=elected_on,
        term_start=elected_on,
        term_end=add_years(elected_on, 5) - datetime.timedelta(days=1),
        members=[(director, Role.DIRECTOR), (joining, Role.MEMBER)],
        meeting_text="第二届会员代表大会第一次会议",
    )
    made = [f"{done.body.display_name} {done.term_start}–{done.term_end}"]
    women = Body.objects.get(union=office, kind=BodyKind.WOMEN_COMMITTEE)
    if _term_ends_soon(women, end=today + datetime.timedelta(days=DUE_IN_DAYS)):
        made.append(f"{women.display_name} term ends {women.term_end}")
    if write:
        write(f"Re-elections at fin-office: {'; '.join(made)}")
    return made


demo_seeders.register("re-elections", seed_demo_reelections, order=89)
