"""S5.4: members send opinions and evaluations; the union answers publicly (on the open-affairs page, without
the member's name) or privately (to the member only); unanswered ones remind the chair after the union's
working days (10 by default, the statutory calendar's holidays not counted)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.factories import UserFactory
from tests.memberpages.conftest import make_member, shows
from tests.scenarios import at, travel
from workflows.memberpages import errors, services
from workflows.memberpages.models import MemberOpinion, MemberPagesRule
from workflows.memberpages.reminders import unanswered_remind

pytestmark = pytest.mark.django_db
OPINIONS = "memberpages:opinions"


def test_S5_4_member_sends_opinions_and_bad_input_is_refused_with_input_kept(cast, login):
    member = make_member(cast.union, person=UserFactory())
    client = login(member.person)

    empty = client.post(reverse(OPINIONS), {"kind": "opinion", "text": "   "})
    assert empty.status_code == 400 and shows(empty, errors.TEXT_EMPTY)
    out_of_range = client.post(reverse(OPINIONS), {"kind": "evaluation", "rating": "7", "text": "食堂很好"})
    assert out_of_range.status_code == 400 and shows(out_of_range, errors.RATING_RANGE)
    assert "食堂很好" in out_of_range.content.decode()  # what was typed is kept
    unrated = client.post(reverse(OPINIONS), {"kind": "evaluation", "text": "总体满意"})
    assert unrated.status_code == 400 and shows(unrated, errors.RATING_NEEDED)
    assert "总体满意" in unrated.content.decode()
    assert not MemberOpinion.objects.exists()

    sent = client.post(reverse(OPINIONS), {"kind": "evaluation", "rating": "4", "text": "活动丰富"})
    assert sent.status_code == 302
    client.post(reverse(OPINIONS), {"kind": "opinion", "text": "建议增加篮球场开放时间"})
    evaluation, opinion = MemberOpinion.objects.order_by("id")
    assert (evaluation.kind, evaluation.rating, evaluation.union_id) == ("evaluation", 4, cast.union.pk)
    assert (opinion.kind, opinion.rating) == ("opinion", None)
    page = client.get(reverse(OPINIONS)).content.decode()
    assert "活动丰富" in page and "建议增加篮球场开放时间" in page


def test_S5_4_public_answer_on_open_affairs_without_name_private_to_the_member_only(cast, login):
    asking = make_member(cast.union, person=UserFactory(full_name="钱多多"), name="钱多多")
    neighbour = make_member(cast.union, person=UserFactory())
    public = services.opinion_send(member=asking, kind="evaluation", rating=5, text="职工书屋能否周末开放")
    private = services.opinion_send(member=asking, kind="opinion", rating=None, text="我的困难补助申请进度")
    office = login(cast.office)
    listing = office.get(reverse("memberpages:union_opinions", args=[cast.union.pk])).content.decode()
    assert "钱多多" in listing and "职工书屋能否周末开放" in listing  # the office sees who asked

    # an empty answer is refused beside its form, the choice kept
    empty = office.post(
        reverse("memberpages:answer", args=[public.pk]),
        {f"o{public.pk}-answer": " ", f"o{public.pk}-way": "private"},
    )
    assert empty.status_code == 400 and shows(empty, errors.ANSWER_EMPTY)
    assert re.search(rf'name="o{public.pk}-way" value="private"[^>]*checked', empty.content.decode())
    answered = office.post(
        reverse("memberpages:answer", args=[public.pk]),
        {f"o{public.pk}-answer": "自下月起周六开放。", f"o{public.pk}-way": "public"},
    )
    assert answered.status_code == 302
    office.post(
        reverse("memberpages:answer", args=[private.pk]),
        {f"o{private.pk}-answer": "已提交工会委员会审议。", f"o{private.pk}-way": "private"},
    )
    twice = office.post(
        reverse("memberpages:answer", args=[public.pk]),
        {f"o{public.pk}-answer": "再答", f"o{public.pk}-way": "public"},
    )
    assert twice.status_code == 400 and shows(twice, errors.ALREADY_ANSWERED)
    # a representative sees the union but may not answer for it
    assert (
        login(cast.representatives[0]).post(reverse("memberpages:answer", args=[private.pk]), {}).status_code
        == 403
    )

    # the neighbour reads the public question and answer, never who asked, never the private one
    page = login(neighbour.person).get(reverse("memberpages:home")).content.decode()
    assert "职工书屋能否周末开放" in page and "自下月起周六开放。" in page and "★★★★★" in page
    assert "钱多多" not in page and "困难补助" not in page and "已提交工会委员会审议" not in page
    # the member who asked reads both answers, and was told of each
    mine = login(asking.person).get(reverse(OPINIONS)).content.decode()
    assert "自下月起周六开放。" in mine and "已提交工会委员会审议。" in mine
    assert (
        Notification.objects.filter(
            recipient=asking.person, dedupe_key__startswith="memberpages-answer:"
        ).count()
        == 2
    )


def test_S5_4_unanswered_opinion_reminds_the_chair_after_10_working_days(cast, tree):
    member = make_member(cast.union, person=UserFactory())
    other = make_member(tree["b1"], person=UserFactory())
    # Monday 28 September 2026; 1–7 October are National Day holidays and Saturday 10 October is worked
    with travel(at(2026, 9, 28, 10, 0)):
        opinion = services.opinion_send(member=member, kind="opinion", rating=None, text="建议开设午间健身课")
        services.opinion_send(member=other, kind="opinion", rating=None, text="b1 的意见")
    MemberPagesRule.objects.create(union=tree["b1"], answer_within_working_days=20)  # b1's own rule

    def chair_notices():
        return Notification.objects.filter(dedupe_key=f"memberpages-unanswered:{opinion.pk}")

    with travel(at(2026, 10, 15, 9, 0)):  # the ninth working day after: not yet
        assert unanswered_remind() == 0
    with travel(at(2026, 10, 16, 9, 0)):  # the tenth: the chair is told, once
        assert unanswered_remind() == 1
        assert unanswered_remind() == 0
    (notice,) = chair_notices()
    assert notice.recipient == cast.chair and notice.url == reverse(
        "memberpages:union_opinions", args=[cast.union.pk]
    )
    assert not Notification.objects.filter(union=tree["b1"]).exists()  # b1 answers within 20 working days

    # an answered opinion reminds nobody
    MemberOpinion.objects.update(answered_at=at(2026, 10, 20, 9, 0), answer="已答复")
    with travel(at(2026, 12, 1, 9, 0)):
        assert unanswered_remind() == 0
