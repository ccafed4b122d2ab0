"""S5.3 membership: the register's pages — managers change, supervisors above read, everyone else is
refused on every page; bad input re-rendered with what was typed; the register served with the same
number of queries for 3 members or 60; the count's mark."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.models import Role, Union
from tests.factories import seated
from workflows.members import errors, services
from workflows.members.models import Member, Transfer, TransferStatus

pytestmark = pytest.mark.django_db


def shown(message) -> str:
    """A message as a page shows it (HTML-escaped)."""
    return escape(str(message))


JOINED = datetime.date(2021, 6, 1)


def _members(cast, n: int, start: int = 0) -> list[Member]:
    return [
        services.member_join(
            actor=cast.office,
            union=cast.union,
            name=f"会员{i:03d}",
            member_number=f"A{i:04d}",
            joined_on=JOINED,
            group=cast.group if i % 2 else None,
            phone=f"1380000{i:04d}",
        )
        for i in range(start, start + n)
    ]


@pytest.fixture
def a2_office(tree):
    return seated(tree["a2"], Role.OFFICE_STAFF, username="a2-office")


@pytest.fixture
def world(cast, tree, a2_office):
    """a1 with two members, one of them on its way to a2, and one of a2's on its way to a1."""
    mine = _members(cast, 2)
    theirs = services.member_join(
        actor=a2_office, union=tree["a2"], name="来者", member_number="B0001", joined_on=JOINED
    )
    out = services.transfer_request(actor=cast.office, member=mine[0], to_union=tree["a2"])
    incoming = services.transfer_request(actor=a2_office, member=theirs, to_union=cast.union)
    return {"member": mine[1], "out": out, "in": incoming}


def _urls(cast, world) -> dict[str, tuple[str, str]]:
    """Every page of the app: name → (method, address) about a1's register, its member, a transfer."""
    a1, member, transfer = cast.union.pk, world["member"].pk, world["in"].pk
    return {
        "register": ("get", reverse("members:register", args=[a1])),
        "export": ("get", reverse("members:export", args=[a1])),
        "add": ("get", reverse("members:add", args=[a1])),
        "import": ("get", reverse("members:import", args=[a1])),
        "edit": ("get", reverse("members:edit", args=[member])),
        "leave": ("get", reverse("members:leave", args=[member])),
        "transfer_new": ("get", reverse("members:transfer_new", args=[member])),
        "transfer": ("get", reverse("members:transfer", args=[transfer])),
        "transfer_accept": ("post", reverse("members:transfer_accept", args=[transfer])),
        "transfer_refuse": ("post", reverse("members:transfer_refuse", args=[transfer])),
        "transfer_cancel": ("post", reverse("members:transfer_cancel", args=[world["out"].pk])),
    }


def test_S5_3_outsiders_are_refused_on_every_page_and_supervisors_only_read(
    cast, tree, world, client, supervisor_of
):
    urls = _urls(cast, world)
    vice = seated(cast.union, Role.VICE_CHAIR, "union_committee")  # an officer, not a keeper
    readers = {"register", "export", "transfer"}
    expected = {
        cast.outsider: dict.fromkeys(urls, 404),  # b1's chair: another department's union
        seated(tree["b1"], Role.OFFICE_STAFF): dict.fromkeys(urls, 404),
        supervisor_of(tree["dept_b"]): dict.fromkeys(urls, 404),
        cast.representatives[0]: dict.fromkeys(urls, 403),  # sees a1, not its register
        vice: dict.fromkeys(urls, 403),
        supervisor_of(tree["dept_a"]): {name: 200 if name in readers else 403 for name in urls},
    }
    for user, statuses in expected.items():
        client.force_login(user)
        for name, (method, url) in urls.items():
            response = getattr(client, method)(
                url, {"group": "", "reason": "x"} if method == "post" else None
            )
            assert response.status_code == statuses[name], (str(user), name, response.status_code)
    assert Transfer.objects.filter(status=TransferStatus.REQUESTED).count() == 2  # nothing decided
    # a union that keeps no register has no page
    client.force_login(cast.group_leader)
    assert client.get(reverse("members:register", args=[cast.group.pk])).status_code in (403, 404)
    client.force_login(supervisor_of(tree["prov"]))
    assert client.get(reverse("members:register", args=[tree["dept_a"].pk])).status_code == 200
    assert client.get(reverse("members:register", args=[tree["prov"].pk])).status_code == 404


def test_S5_3_register_shows_counts_mark_search_and_transfers_both_ways(cast, tree, world, client, a2_office):
    client.force_login(cast.chair)
    url = reverse("members:register", args=[cast.union.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="count-not-from-register"' not in html  # the count comes from the register
    assert (
        f'data-testid="incoming-{world["in"].pk}"' in html
        and f'data-testid="outgoing-{world["out"].pk}"' in html
    )
    assert "会员000" in html and "会员001" in html
    found = client.get(url, {"q": "A0001"}).content.decode()
    mine = Member.objects.filter(union=cast.union).order_by("member_number")
    assert [f'data-testid="member-{m.pk}"' in found for m in mine] == [False, True]
    # the receiving union sees the same transfer as incoming
    client.force_login(a2_office)
    html = client.get(reverse("members:register", args=[tree["a2"].pk])).content.decode()
    assert f'data-testid="incoming-{world["out"].pk}"' in html
    # a union with no entry yet: its typed count with the mark
    Union.objects.filter(pk=tree["b1"].pk).update(member_count=95)
    client.force_login(seated(tree["b1"], Role.OFFICE_STAFF))
    html = client.get(reverse("members:register", args=[tree["b1"].pk])).content.decode()
    assert 'data-testid="count-not-from-register"' in html and "95" in html


@pytest.mark.parametrize("size", [3, 60])
def test_S5_3_register_costs_the_same_queries_for_3_or_60_members(
    cast, tree, client, size, django_assert_max_num_queries
):
    _members(cast, size)
    for member in Member.objects.filter(union=cast.union)[:2]:
        services.transfer_request(actor=cast.office, member=member, to_union=tree["a2"])
    client.force_login(cast.chair)
    url = reverse("members:register", args=[cast.union.pk])
    client.get(url)  # the session is written once
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(size, 50)
    assert len(response.context["outgoing"]) == 2


def test_S5_3_add_edit_leave_keep_what_was_typed_on_refusal(cast, tree, client):
    other = seated(tree["b1"], Role.OFFICE_STAFF)
    services.member_join(actor=other, union=tree["b1"], name="赵六", member_number="B0001", joined_on=JOINED)
    client.force_login(cast.office)
    add = reverse("members:add", args=[cast.union.pk])
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    response = client.post(
        add, {"member_number": "B0001", "name": "王小芳", "joined_on": future, "phone": "13912345678"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert shown(errors.NUMBER_ELSEWHERE % {"number": "B0001", "union": tree["b1"].name}) in html
    assert shown(errors.JOINED_IN_FUTURE) in html
    assert 'value="王小芳"' in html and 'value="13912345678"' in html and future in html
    response = client.post(
        add, {"member_number": "A0001", "name": "王小芳", "joined_on": "2020-01-01", "group": cast.group.pk}
    )
    assert response.status_code == 302
    member = Member.objects.get(member_number="A0001")
    assert member.group == cast.group

    edit = reverse("members:edit", args=[member.pk])
    assert 'value="王小芳"' in client.get(edit).content.decode()
    response = client.post(
        edit, {"member_number": "A0001", "name": "王芳", "joined_on": "2020-01-01", "group": "99999"}
    )
    assert response.status_code == 400 and shown(errors.GROUP_CHOICE) in response.content.decode()
    assert (
        client.post(edit, {"member_number": "A0001", "name": "王芳", "joined_on": "2020-01-01"}).status_code
        == 302
    )
    assert Member.objects.get(pk=member.pk).group is None

    leave = reverse("members:leave", args=[member.pk])
    response = client.post(leave, {"left_on": "2019-12-31"})
    assert response.status_code == 400 and shown(errors.LEFT_BEFORE_JOINING) in response.content.decode()
    assert 'value="2019-12-31"' in response.content.decode()
    assert client.post(leave, {"left_on": timezone.localdate().isoformat()}).status_code == 302
    assert Member.objects.get(pk=member.pk).left_on == timezone.localdate()
    assert client.get(edit).status_code == 302  # a member who left is not changed
    left = client.get(reverse("members:register", args=[cast.union.pk]), {"state": "left"}).content.decode()
    assert f'data-testid="member-{member.pk}"' in left


def test_S5_3_transfer_pages_end_to_end_with_bad_unions_refused(cast, tree, client, a2_office):
    member = _members(cast, 1)[0]
    client.force_login(cast.office)
    new = reverse("members:transfer_new", args=[member.pk])
    page = client.get(new).content.decode()
    assert tree["a2"].name in page and tree["b1"].name in page and f'value="{cast.group.pk}"' not in page
    for value, message in [
        (cast.union.pk, errors.TRANSFER_SAME_UNION),
        (999999, errors.TRANSFER_UNKNOWN_UNION),
        (cast.group.pk, errors.TRANSFER_UNKNOWN_UNION),
        ("", errors.TRANSFER_CHOOSE_UNION),
    ]:
        response = client.post(new, {"to_union": value, "note": "调往新单位"})
        assert response.status_code == 400 and shown(message) in response.content.decode(), value
        assert "调往新单位" in response.content.decode()
    assert not Transfer.objects.exists()

    response = client.post(new, {"to_union": tree["a2"].pk, "note": "调往新单位"})
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "members:transfer", args=[transfer.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="cancel-form"' in page and 'data-testid="accept-form"' not in page

    client.force_login(a2_office)
    page = client.get(reverse("members:transfer", args=[transfer.pk])).content.decode()
    assert 'data-testid="accept-form"' in page and "调往新单位" in page
    response = client.post(reverse("members:transfer_refuse", args=[transfer.pk]), {"reason": ""})
    assert response.status_code == 400 and shown(errors.REFUSAL_REASON) in response.content.decode()
    response = client.post(reverse("members:transfer_accept", args=[transfer.pk]), {"group": ""})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.new_member.union == tree["a2"]
    assert Member.objects.get(pk=member.pk).left_on is not None
    client.force_login(cast.office)  # the sending union may no longer cancel
    client.post(reverse("members:transfer_cancel", args=[transfer.pk]))
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.ACCEPTED
