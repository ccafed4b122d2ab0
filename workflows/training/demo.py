"""Demo: S4.3 training records of this year, through the real service: a training class at the
department union "fin" (620 members: it holds the class obligation) and a seminar at "fin-office".
Idempotent: a union that already has a record of that kind this year is left alone."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Union, User

from . import selectors
from .models import TrainingKind, TrainingRecord
from .services import training_record

RECORDS = [
    ("fin", TrainingKind.CLASS, "工会经费管理与财务制度培训班", "省总工会财务部讲师", 40),
    ("fin-office", TrainingKind.SEMINAR, "学习贯彻工会法专题研讨", "工会主席", 20),
]


@transaction.atomic
def seed_demo_training(*, write: Callable[[str], object] = print) -> None:
    today = timezone.localdate()
    for code, kind, topic, trainer, days_ago in RECORDS:
        union = Union.objects.filter(code=code).first()
        office = User.objects.filter(username=f"{code}-office").first()
        if union is None or office is None:
            continue
        # within this year, and never in the future (refused by the service)
        held_on = max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=days_ago))
        if TrainingRecord.objects.filter(union=union, kind=kind, held_on__year=today.year).exists():
            continue
        people = [pk for pk, _label in selectors.seat_holder_choices(union, held_on)]
        training_record(
            actor=office,
            union=union,
            kind=kind,
            held_on=held_on,
            topic=topic,
            trainer=trainer,
            notes="集中学习，签到表见附件。",
            participant_ids=people,
        )
        write(f"  demo training: {kind} at {code} on {held_on}, {len(people)} signed in")


demo_seeders.register("training", seed_demo_training, order=87)
