"""S5.2: anonymity holds by construction. Tokens and answers are stored apart; answering writes no event,
no notification, no log line and no time, and reads nobody's account; every join between a token and an
answer is tried and none tells whose answer it is. Of two submissions of the same token at once exactly
one counts."""

from __future__ import annotations

import logging
import threading

import pytest
from django.db import close_old_connections, models
from django.urls import reverse

from core.models import Event
from notifications.models import Notification
from tests.factories import UserFactory
from tests.memberpages.conftest import make_member
from tests.surveys.factories import answers_for
from workflows.surveys import services
from workflows.surveys.models import SurveyAnswer, SurveyAnswerItem, SurveyToken

N_MEMBERS = 12
CONTENTS = ("rating", "text")


def _fields(model) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _used_order(issued) -> list[int]:
    """The members in the order the test uses their tokens: a permutation unlike the issue order."""
    order = list(range(len(issued)))
    return order[1::2] + order[::2][::-1]


@pytest.mark.django_db
def test_S5_2_no_column_joins_a_token_to_its_answer(open_survey, caplog):
    cycle, issued = open_survey(N_MEMBERS)
    events, notifications = Event.objects.count(), Notification.objects.count()
    # given: each member gives a rating equal to their position in the order of use, so a join that
    # worked would map each token to one distinct answer
    used = _used_order(issued)
    with caplog.at_level(logging.DEBUG):
        for rank, index in enumerate(used):
            rating = rank % 5 + 1
            services.answer_submit(token=issued[index].token, answers=answers_for(cycle, [rating]))
    # then: nothing written besides the token's flag and the answer
    assert Event.objects.count() == events and Notification.objects.count() == notifications
    assert not any(item.token in record.getMessage() for item in issued for record in caplog.records)

    tokens = list(SurveyToken.objects.filter(cycle=cycle))
    answers = list(SurveyAnswer.objects.filter(cycle=cycle))
    items = list(SurveyAnswerItem.objects.filter(answer__cycle=cycle))
    assert len(answers) == N_MEMBERS and all(t.used for t in tokens)

    # no time on either side, only dates
    for model in (SurveyToken, SurveyAnswer, SurveyAnswerItem):
        assert not [f.name for f in _fields(model) if isinstance(f, models.DateTimeField | models.TimeField)]
    assert not [f.name for f in _fields(SurveyToken) if isinstance(f, models.DateField)]

    # every pair of columns (the answers' contents aside: a rating or a text is what the member chose, not a
    # key): for each token, the answers its value meets are none or all of them, never a telling subset
    everything = {a.pk for a in answers}
    for token_field in _fields(SurveyToken):
        for answer_model, rows, answer_of in (
            (SurveyAnswer, answers, lambda r: r.pk),
            (SurveyAnswerItem, items, lambda r: r.answer_id),
        ):
            for answer_field in _fields(answer_model):
                if answer_field.attname in CONTENTS:
                    continue
                for t in tokens:
                    value = str(getattr(t, token_field.attname))
                    met = {answer_of(r) for r in rows if str(getattr(r, answer_field.attname)) == value}
                    assert met in (set(), everything), (token_field.name, answer_field.name)
    # no answer or item column sorts them into the order the tokens were used
    members_in_use_order = [issued[i].member.pk for i in used]
    ratings_in_use_order = [rank % 5 + 1 for rank in range(N_MEMBERS)]
    first_rating = {i.answer_id: i.rating for i in items if i.rating is not None and i.question.order == 1}
    for model, rows, rating_of in (
        (SurveyAnswer, answers, lambda r: first_rating[r.pk]),
        (SurveyAnswerItem, [i for i in items if i.question.order == 1], lambda r: r.rating),
    ):
        for field in _fields(model):
            if field.attname in CONTENTS:
                continue
            # ORDER BY the column, ties by the key (random)
            ordered = sorted(rows, key=lambda r, f=field: (str(getattr(r, f.attname)), str(r.pk)))
            assert [rating_of(r) for r in ordered] != ratings_in_use_order, (model.__name__, field.name)
    # nor does any token column name the members in the order they answered
    for field in _fields(SurveyToken):
        ordered = sorted(tokens, key=lambda t, f=field: (str(getattr(t, f.attname)), t.pk))
        assert [t.member_id for t in ordered] != members_in_use_order, field.name


@pytest.mark.django_db
def test_S5_2_a_signed_in_member_answers_as_anonymously_as_anyone(open_survey, client):
    cycle, issued = open_survey(1)
    member = issued[0].member
    member.person = UserFactory(full_name="签到会员")
    member.save(update_fields=["person"])
    client.force_login(member.person)
    events, notifications = Event.objects.count(), Notification.objects.count()
    response = client.post(reverse("surveys:answer", args=[issued[0].token]), _form(cycle, [4]))
    assert response.status_code == 302
    # then: the answer holds its random key, the cycle and the day; its items the question and the rating
    answer = SurveyAnswer.objects.get(cycle=cycle)
    assert {f.attname for f in _fields(SurveyAnswer)} == {"id", "cycle_id", "answered_on"}
    assert answer.id.version == 4 and answer.answered_on == services.union_today(cycle.union)
    question_ids = {q.pk for q in cycle.questions.all()}
    for item in answer.items.all():
        assert {f.attname for f in _fields(SurveyAnswerItem)} == {
            "id",
            "answer_id",
            "question_id",
            "rating",
            "text",
        }
        assert item.id.version == 4 and item.question_id in question_ids
        assert item.rating == 4 and item.text == ""
    assert Event.objects.count() == events and Notification.objects.count() == notifications


def _form(cycle, ratings):
    return {f"q{k}": v for k, v in answers_for(cycle, ratings).items()}


@pytest.mark.django_db(transaction=True)
def test_S5_2_the_same_token_sent_twice_at_once_counts_once(tree):
    from tests.surveys.factories import make_cycle, survey_officer

    union = tree["a1"]
    make_member(union)
    officer = survey_officer(union)
    cycle = make_cycle(union, actor=officer)
    (item,) = services.cycle_open(actor=officer, cycle=cycle)
    form = answers_for(cycle, [5])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        try:
            barrier.wait()
            services.answer_submit(token=item.token, answers=form)
            outcomes.append("stored")
        except Exception as exc:  # the loser is refused with the used-link message
            outcomes.append(type(exc).__name__)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ValidationError", "stored"]
    assert SurveyAnswer.objects.filter(cycle=cycle).count() == 1
    assert SurveyToken.objects.get(cycle=cycle).used
