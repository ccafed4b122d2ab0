"""seed_demo builds the demo tree and is idempotent (issue 3)."""

import pytest
from django.core.management import call_command

from core import demo_seeders
from core.models import Body, Event, Seat, Union, UnionKind, User
from notifications.models import Notification


def snapshot():
    return {
        "unions": sorted(Union.objects.values_list("code", "kind", "parent__code")),
        "bodies": Body.objects.count(),
        "seats": sorted(Seat.objects.values_list("person__username", "union__code", "body__kind", "role")),
        "users": sorted(User.objects.values_list("username", "full_name")),
        "notifications": Notification.objects.count(),
    }


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_data(capsys):
    call_command("seed_demo")
    first = snapshot()
    events = Event.objects.count()
    call_command("seed_demo")
    assert snapshot() == first
    assert Event.objects.count() == events
    assert "Wuyi-demo-2026" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_shape():
    call_command("seed_demo", through="tree")  # the whole demo is seeded by the test above
    kinds = [u.kind for u in Union.objects.all()]
    assert kinds.count(UnionKind.PROVINCIAL) == 1
    assert kinds.count(UnionKind.DEPARTMENT) == 2
    assert kinds.count(UnionKind.GRASSROOTS) == 4
    for union in Union.objects.exclude(kind=UnionKind.GROUP):
        assert Body.objects.filter(union=union).count() == 5, union
    roles = set(Seat.objects.values_list("role", flat=True))
    assert roles >= {
        "chair",
        "vice_chair",
        "member",
        "director",
        "secretary",
        "representative",
        "office_staff",
        "finance_officer",
        "supervisor",
    }
    # the small union has single-person audit and women's bodies
    small = Union.objects.get(code="fin-centre")
    audit = Body.objects.get(union=small, kind="audit_committee")
    assert audit.is_single_person and audit.seats.count() == 1


def test_each_app_registers_its_demo_seeder_in_the_order_the_data_builds_up():
    names = [seeder.name for seeder in demo_seeders.seeders()]
    assert names == [
        "tree",
        "welcome",
        "platform administrators",
        "budgets",
        "calendar",
        "work-item reminders",
        "obligation reminders",
        "plans",
        "reports",
        "final accounts",
        "budget adjustments",
        "execution analyses",
        "expenditure requests",
        "institutions",
        "roster",
        "training",
        "party organisation",
        "contacts",
        "re-elections",
        "members",
        "oversight",
        "dues",
        "member pages",
        "surveys",
        "model home",
        "official documents",
        "meeting papers",
        "approval sheets",
        "upward summaries",
        "archive",
    ]
