"""Playwright: a member answers the satisfaction survey on a phone (S5.2).

On a 375×812 touch screen a member of union a1 opens the link printed on their slip, taps a rating for
each question (large buttons), writes a suggestion, sends and sees the thanks. Sending with a question
left out shows the problem beside it with the other answers kept. Opening the link again says it was
used. No page scrolls sideways or shows a username.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.session import page_problems, screenshot

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def survey_slip(transactional_db):
    """Read before the browser starts (ORM calls under Playwright's loop use their own connection)."""
    import datetime

    from core.models import User
    from tests.factories import Cast, ensure_chart_of_accounts, make_tree
    from tests.surveys.factories import make_cycle
    from workflows.members.models import Member
    from workflows.surveys.models import QuestionKind
    from workflows.surveys.services import cycle_open

    ensure_chart_of_accounts()
    cast = Cast(make_tree())
    Member.objects.create(
        union=cast.union, name="林小雨", member_number="A1-0042", joined_on=datetime.date(2019, 5, 1)
    )
    cycle = make_cycle(cast.union, actor=cast.office)
    (issued,) = cycle_open(actor=cast.office, cycle=cycle)
    questions = list(cycle.questions.order_by("order"))
    return {
        "link": f"/survey/{issued.token}/",
        "cycle": cycle.pk,
        "title": cycle.title,
        "ratings": [q.pk for q in questions if q.kind == QuestionKind.RATING],
        "texts": [q.pk for q in questions if q.kind == QuestionKind.TEXT],
        "usernames": list(User.objects.values_list("username", flat=True)),
    }


def test_S5_2_member_answers_the_survey_on_a_phone(live_server, survey_slip, new_page):
    scene = survey_slip
    base = live_server.url
    page = new_page(viewport=PHONE, mobile=True)
    page.goto(base + scene["link"])
    expect(page.get_by_test_id("survey-title")).to_have_text(scene["title"])
    assert page_problems(page, scene["usernames"]) == []
    first, *rest = scene["ratings"]
    # every rating but the first, "satisfied" (4) or "very satisfied" (5), tapped on its label
    for n, pk in enumerate(rest):
        page.locator(f"label[for='id_q{pk}_{n % 2}']").tap()
    page.locator(f"#id_q{scene['texts'][0]}").fill("希望多组织读书分享会。")
    screenshot(page, "survey-answer-375px")
    page.get_by_test_id("send").tap()

    # the first question was left out: its problem beside it, the other answers kept
    expect(page.get_by_test_id(f"error-q{first}")).to_be_visible()
    expect(page.locator(f"#id_q{rest[0]}_0")).to_be_checked()
    expect(page.locator(f"#id_q{scene['texts'][0]}")).to_have_value("希望多组织读书分享会。")
    page.locator(f"label[for='id_q{first}_0']").tap()
    page.get_by_test_id("send").tap()

    page.wait_for_url(f"{base}/survey/thanks/")
    expect(page.get_by_test_id("thanks")).to_be_visible()
    assert page_problems(page, scene["usernames"]) == []
    screenshot(page, "survey-thanks-375px")

    # the second visit: the link was used
    response = page.goto(base + scene["link"])
    assert response.status == 410
    expect(page.get_by_test_id("problem")).to_be_visible()

    from workflows.surveys.models import SurveyAnswer

    assert SurveyAnswer.objects.filter(cycle_id=scene["cycle"]).count() == 1
