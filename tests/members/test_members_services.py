"""S5.3 membership: joining, changing, leaving, transfers between unions and the member count derived from
the register (services and selectors)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Event, Role, Union
from notifications.models import Notification
from tests.factories import make_union, seated
from workflows.members import errors, selectors, services
from workflows.members.models import Member, Transfer, TransferStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 4)
JOINED = datetime.date(2020, 9, 1)


def _join(cast, number="A0001", name="王芳", **fields) -> Member:
    fields.setdefault("joined_on", JOINED)
    return services.member_join(
        actor=cast.office, union=cast.union, name=name, member_number=number, today=TODAY, **fields
    )


def _messages(exc: ValidationError, field: str) -> list[str]:
    return [str(m) for m in exc.message_dict[field]]


@pytest.fixture
def a2_office(tree):
    return seated(tree["a2"], Role.OFFICE_STAFF, username="a2-office")


def test_S5_3_join_derives_the_count_from_the_register_and_leave_lowers_it(cast):
    # given: a typed count, not from the register
    Union.objects.filter(pk=cast.union.pk).update(member_count=180)
    group = cast.group
    Union.objects.filter(pk=group.pk).update(member_count=24)

    first = _join(cast, group=group, phone="13800001111", email="wf@example.cn")
    _join(cast, number="A0002", name="李强")

    cast.union.refresh_from_db()
    group.refresh_from_db()
    assert (cast.union.member_count, cast.union.member_count_from_register) == (2, True)
    assert (group.member_count, group.member_count_from_register) == (1, True)
    assert selectors.active_count([cast.union.pk, group.pk, cast.union.parent_id]) == {
        cast.union.pk: 2,
        group.pk: 1,
        cast.union.parent_id: 0,
    }
    assert list(selectors.active_members(cast.union)) == [first, Member.objects.get(member_number="A0002")]
    assert Event.objects.filter(verb="member_joined", union=cast.union).count() == 2

    services.member_leave(actor=cast.chair, member=first, left_on=TODAY, today=TODAY)

    cast.union.refresh_from_db()
    group.refresh_from_db()
    assert (cast.union.member_count, group.member_count) == (1, 0)
    assert Member.objects.get(pk=first.pk).left_on == TODAY
    with pytest.raises(ValidationError) as exc:
        services.member_leave(actor=cast.chair, member=first, left_on=TODAY, today=TODAY)
    assert str(errors.ALREADY_LEFT) in exc.value.messages


def test_S5_3_member_count_refresh_is_one_update_for_many_unions(cast, tree, django_assert_num_queries):
    _join(cast, group=cast.group)
    Union.objects.filter(pk__in=[cast.union.pk, tree["a2"].pk]).update(
        member_count=99, member_count_from_register=False
    )

    with django_assert_num_queries(1):
        assert services.member_count_refresh([cast.union.pk, cast.group.pk, tree["a2"].pk, None]) == 3

    counts = dict(
        Union.objects.filter(pk__in=[cast.union.pk, tree["a2"].pk]).values_list("pk", "member_count")
    )
    assert counts == {cast.union.pk: 1, tree["a2"].pk: 0}
    assert Union.objects.get(pk=tree["b1"].pk).member_count_from_register is False  # untouched
    # the membership rate: members over the organ's workers, none while the workers are not given
    a1 = Union.objects.get(pk=cast.union.pk)
    assert selectors.membership_rate(a1) is None
    a1.worker_count = 4
    assert selectors.membership_rate(a1) == 0.25


def test_S5_3_bad_members_are_refused_beside_their_fields(cast, tree):
    _join(cast)
    other_group = make_union("group", tree["a2"])
    b1_office = seated(tree["b1"], Role.OFFICE_STAFF)
    services.member_join(
        actor=b1_office, union=tree["b1"], name="赵六", member_number="B0001", joined_on=JOINED, today=TODAY
    )
    cases = [
        (
            {"number": "A0001"},
            "member_number",
            errors.NUMBER_IN_REGISTER % {"number": "A0001", "name": "王芳"},
        ),
        (
            {"number": "B0001"},
            "member_number",
            errors.NUMBER_ELSEWHERE % {"number": "B0001", "union": tree["b1"].name},
        ),
        (
            {"number": "A0009", "joined_on": TODAY + datetime.timedelta(days=1)},
            "joined_on",
            errors.JOINED_IN_FUTURE,
        ),
        (
            {"number": "A0009", "group": other_group},
            "group",
            errors.GROUP_NOT_OURS % {"group": other_group.name},
        ),
        ({"number": "  ", "name": " "}, "name", errors.NAME_MISSING),
    ]
    for fields, field, message in cases:
        with pytest.raises(ValidationError) as exc:
            _join(cast, **fields)
        assert str(message) in _messages(exc.value, field), fields
    assert Member.objects.count() == 2
    with pytest.raises(ValidationError) as exc:
        services.member_join(
            actor=cast.office, union=cast.group, name="x", member_number="G1", joined_on=JOINED
        )
    assert str(errors.NO_REGISTER) in exc.value.messages
    with pytest.raises(PermissionDenied):  # a vice chair drafts documents, does not keep the register
        services.member_join(
            actor=seated(cast.union, Role.VICE_CHAIR, "union_committee"),
            union=cast.union,
            name="x",
            member_number="A0100",
            joined_on=JOINED,
        )


def test_S5_3_update_moves_group_and_one_person_is_one_active_member(cast):
    member = _join(cast)
    services.member_update(actor=cast.chair, member=member, group=cast.group, phone="010-1234", today=TODAY)
    cast.group.refresh_from_db()
    assert cast.group.member_count == 1 and Member.objects.get(pk=member.pk).phone == "010-1234"

    services.member_update(actor=cast.chair, member=member, person=cast.representatives[0], today=TODAY)
    assert selectors.member_of(cast.representatives[0]) == member
    assert selectors.member_of(cast.outsider) is None
    with pytest.raises(ValidationError) as exc:
        _join(cast, number="A0002", person=cast.representatives[0])
    assert "person" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.member_leave(actor=cast.chair, member=member, left_on=datetime.date(2019, 1, 1), today=TODAY)
    assert _messages(exc.value, "left_on") == [str(errors.LEFT_BEFORE_JOINING)]
    with pytest.raises(ValidationError) as exc:
        services.member_leave(
            actor=cast.chair, member=member, left_on=TODAY + datetime.timedelta(days=1), today=TODAY
        )
    assert _messages(exc.value, "left_on") == [str(errors.LEFT_IN_FUTURE)]


def test_S5_3_transfer_both_unions_see_it_and_accepting_moves_the_member(cast, tree, a2_office):
    a1, a2 = cast.union, tree["a2"]
    a2_group = make_union("group", a2)
    member = _join(cast, group=cast.group, person=cast.representatives[1], phone="13900000000")

    transfer = services.transfer_request(
        actor=cast.office, member=member, to_union=a2, note="调动", today=TODAY
    )

    assert selectors.open_transfers(a1) == ([], [transfer])
    assert selectors.open_transfers(a2) == ([transfer], [])
    told = Notification.objects.filter(dedupe_key=f"member-transfer:{transfer.pk}:requested")
    assert list(told.values_list("recipient", flat=True)) == [a2_office.pk]
    with pytest.raises(PermissionDenied):  # the sending union does not decide
        services.transfer_accept(actor=cast.office, transfer=transfer)
    with pytest.raises(ValidationError) as exc:  # nor may the member leave meanwhile
        services.member_leave(actor=cast.office, member=member, left_on=TODAY, today=TODAY)
    assert str(errors.TRANSFER_OPEN) in exc.value.messages

    accepted_on = TODAY + datetime.timedelta(days=3)
    services.transfer_accept(actor=a2_office, transfer=transfer, group=a2_group, today=accepted_on)

    transfer.refresh_from_db()
    member.refresh_from_db()
    new = transfer.new_member
    assert (transfer.status, transfer.decided_on, transfer.decided_by) == ("accepted", accepted_on, a2_office)
    assert member.left_on == accepted_on
    assert (new.union, new.group, new.joined_on, new.left_on) == (a2, a2_group, accepted_on, None)
    assert (new.member_number, new.name, new.phone, new.person) == (
        "A0001",
        "王芳",
        "13900000000",
        cast.representatives[1],
    )
    assert selectors.member_of(cast.representatives[1]) == new
    counts = dict(
        Union.objects.filter(pk__in=[a1.pk, a2.pk, cast.group.pk, a2_group.pk]).values_list(
            "pk", "member_count"
        )
    )
    assert counts == {a1.pk: 0, a2.pk: 1, cast.group.pk: 0, a2_group.pk: 1}
    assert selectors.open_transfers(a1) == ([], []) and selectors.open_transfers(a2) == ([], [])
    assert Notification.objects.filter(recipient=cast.office, dedupe_key__endswith=":decided").exists()
    with pytest.raises(ValidationError) as exc:
        services.transfer_refuse(actor=a2_office, transfer=transfer, reason="晚了")
    assert str(errors.TRANSFER_NOT_OPEN) in exc.value.messages


def test_S5_3_transfer_refused_or_cancelled_leaves_the_member_where_they_are(cast, tree, a2_office):
    a2 = tree["a2"]
    member = _join(cast)
    transfer = services.transfer_request(actor=cast.office, member=member, to_union=a2, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.transfer_refuse(actor=a2_office, transfer=transfer, reason="  ")
    assert _messages(exc.value, "reason") == [str(errors.REFUSAL_REASON)]

    services.transfer_refuse(actor=a2_office, transfer=transfer, reason="编制不在本单位", today=TODAY)

    transfer.refresh_from_db()
    assert (transfer.status, transfer.decision_note) == (TransferStatus.REFUSED, "编制不在本单位")
    assert Member.objects.get(pk=member.pk).left_on is None

    again = services.transfer_request(actor=cast.chair, member=member, to_union=a2, today=TODAY)
    with pytest.raises(PermissionDenied):  # the receiving union does not cancel
        services.transfer_cancel(actor=a2_office, transfer=again)
    services.transfer_cancel(actor=cast.office, transfer=again, today=TODAY)

    assert Transfer.objects.get(pk=again.pk).status == TransferStatus.CANCELLED
    assert Member.objects.filter(member_number="A0001", left_on__isnull=True).get() == member
    assert not Member.objects.filter(union=a2).exists()
    assert Event.objects.filter(verb__startswith="member_transfer").count() == 4


def test_S5_3_transfer_to_the_same_or_a_missing_union_is_refused(cast, tree):
    member = _join(cast)
    group = cast.group
    closed = make_union("grassroots", tree["dept_a"])
    Union.objects.filter(pk=closed.pk).update(is_active=False)
    closed.refresh_from_db()
    for to_union, message in [
        (cast.union, errors.TRANSFER_SAME_UNION),
        (None, errors.TRANSFER_UNKNOWN_UNION),
        (group, errors.TRANSFER_UNKNOWN_UNION),
        (closed, errors.TRANSFER_UNKNOWN_UNION),
        (tree["prov"], errors.TRANSFER_UNKNOWN_UNION),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.transfer_request(actor=cast.office, member=member, to_union=to_union, today=TODAY)
        assert _messages(exc.value, "to_union") == [str(message)]
    assert not Transfer.objects.exists()
    services.transfer_request(actor=cast.office, member=member, to_union=tree["b1"], today=TODAY)
    with pytest.raises(ValidationError) as exc:  # one open transfer at a time
        services.transfer_request(actor=cast.office, member=member, to_union=tree["a2"], today=TODAY)
    assert str(errors.TRANSFER_OPEN) in exc.value.messages
