"""S5.2: the member's answer page refuses bad input clearly — a reused, replaced, foreign or made-up link,
an answer after the survey closed (by the office or past its closing day) — and shows a missing required
answer beside its question with every answer kept."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.memberpages.conftest import shows
from tests.scenarios import at, travel
from tests.surveys.factories import answers_for, make_survey_with_answers
from workflows.surveys import errors, services
from workflows.surveys.models import SurveyAnswer

pytestmark = pytest.mark.django_db


def _url(token: str) -> str:
    return reverse("surveys:answer", args=[token])


def _form(cycle, ratings, text=""):
    return {f"q{k}": v for k, v in answers_for(cycle, ratings, text).items()}


def test_S5_2_a_member_answers_once_and_a_second_visit_says_used(open_survey, client):
    cycle, issued = open_survey(2)
    page = client.get(_url(issued[0].token))
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert f'name="q{cycle.questions.first().pk}"' in page.content.decode()
    done = client.post(_url(issued[0].token), _form(cycle, [5], "多组织羽毛球比赛"))
    assert done.status_code == 302 and done["Location"] == reverse("surveys:thanks")
    for again in (client.get(_url(issued[0].token)), client.post(_url(issued[0].token), _form(cycle, [1]))):
        assert again.status_code == 410 and shows(again, errors.LINK_USED)
    assert SurveyAnswer.objects.filter(cycle=cycle).count() == 1


def test_S5_2_foreign_made_up_and_replaced_links_are_not_valid(open_survey, cast, client, tree):
    cycle, issued = open_survey(2)
    other = make_survey_with_answers(tree["b1"], answers=[[5]], close=False)
    # a made-up token, a truncated one, and another union's cycle's answers posted with a1's token
    for token in ("x" * 24, issued[0].token[:-2]):
        response = client.post(_url(token), _form(cycle, [5]))
        assert response.status_code == 404 and shows(response, errors.LINK_UNKNOWN)
    response = client.post(_url(issued[0].token), _form(other, [5]))  # the other cycle's question ids
    assert response.status_code == 400 and shows(response, errors.ANSWER_REQUIRED)
    # a replaced slip: the old link stops working, the new one works
    new = services.token_reissue(actor=cast.office, cycle=cycle, member_id=issued[1].member.pk)
    response = client.get(_url(issued[1].token))
    assert response.status_code == 404 and shows(response, errors.LINK_UNKNOWN)
    assert client.post(_url(new.token), _form(cycle, [4])).status_code == 302
    # a used token is never replaced (it would allow a second answer)
    with pytest.raises(ValidationError) as refused:
        services.token_reissue(actor=cast.office, cycle=cycle, member_id=issued[1].member.pk)
    assert refused.value.messages == [str(errors.MEMBER_ANSWERED)]
    assert SurveyAnswer.objects.filter(cycle=cycle).count() == 1


def test_S5_2_no_answer_after_the_office_closed_the_survey(open_survey, cast, client):
    cycle, issued = open_survey(1)
    services.cycle_close(actor=cast.office, cycle=cycle)
    for response in (
        client.get(_url(issued[0].token)),
        client.post(_url(issued[0].token), _form(cycle, [5])),
    ):
        assert response.status_code == 410 and shows(response, errors.SURVEY_CLOSED)
    assert not SurveyAnswer.objects.filter(cycle=cycle).exists()


def test_S5_2_no_answer_after_the_closing_day_and_the_sweep_closes_it(open_survey, client):
    cycle, issued = open_survey(1)
    last = cycle.closes_on
    with travel(at(last.year, last.month, last.day, 23, 59)):
        assert client.get(_url(issued[0].token)).status_code == 200
        assert services.cycles_close_due() == 0
    after = last + datetime.timedelta(days=1)
    with travel(at(after.year, after.month, after.day, 0, 1)):
        response = client.post(_url(issued[0].token), _form(cycle, [5]))
        assert response.status_code == 410 and shows(response, errors.SURVEY_CLOSED)
        assert services.cycles_close_due() == 1 and services.cycles_close_due() == 0
    cycle.refresh_from_db()
    assert cycle.status == "closed" and cycle.closed_on == after
    assert not SurveyAnswer.objects.filter(cycle=cycle).exists()


def test_S5_2_a_missing_required_answer_is_shown_beside_it_with_the_answers_kept(open_survey, client):
    cycle, issued = open_survey(1)
    form = _form(cycle, [4], "希望多开展读书活动")
    first, second = list(cycle.questions.order_by("order"))[:2]
    del form[f"q{second.pk}"]
    response = client.post(_url(issued[0].token), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert f'data-testid="error-q{second.pk}"' in page and shows(response, errors.ANSWER_REQUIRED)
    assert f'data-testid="error-q{first.pk}"' not in page
    assert re.search(rf'name="q{first.pk}" value="4"[^>]*checked', page)  # the rating chosen is kept
    assert "希望多开展读书活动" in page  # the text typed is kept
    assert not SurveyAnswer.objects.exists()
    # the token is not spent: answering in full works
    assert client.post(_url(issued[0].token), _form(cycle, [4])).status_code == 302


def test_S5_2_a_draft_survey_takes_no_answers(cast, client):
    from tests.memberpages.conftest import make_member
    from tests.surveys.factories import make_cycle

    make_member(cast.union)
    cycle = make_cycle(cast.union, actor=cast.office)
    # no token exists before opening; a made-up one is simply not valid
    response = client.get(_url("y" * 24))
    assert response.status_code == 404 and shows(response, errors.LINK_UNKNOWN)
    assert cycle.status == "draft"


def test_S5_2_an_empty_post_shows_every_required_question_with_its_problem(open_survey, client):
    cycle, issued = open_survey(1)
    response = client.post(_url(issued[0].token), {})
    required = cycle.questions.filter(required=True).count()
    assert response.status_code == 400
    assert response.content.decode().count('data-testid="error-q') == required
    assert not SurveyAnswer.objects.exists()
