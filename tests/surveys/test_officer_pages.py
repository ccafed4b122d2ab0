"""S5.2, the union's side: the office drafts a survey from the default questionnaire, edits it while
drafted, opens it (slips with link and QR code, inline SVG without a style attribute), issues the missing
links, closes it, reads the results (response rate, satisfaction per question and overall against the
threshold), exports them and publishes its reply; supervisors above read; everyone else is refused. The
list and the results cost the same queries whatever the number of members and answers."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Role
from tests.factories import UserFactory, seated
from tests.memberpages.conftest import make_member, shows
from tests.surveys.factories import make_survey_with_answers
from workflows.surveys import errors
from workflows.surveys.models import SurveyCycle, SurveyQuestion, SurveyToken
from workflows.surveys.questionnaire import DEFAULT_QUESTIONS

pytestmark = pytest.mark.django_db
TOKEN_RE = re.compile(r"/survey/([A-Za-z0-9_-]{20,})/")


def _pages(union_pk: int, pk: int) -> list[tuple[str, str]]:
    return [
        ("GET", reverse("surveys:list", args=[union_pk])),
        ("POST", reverse("surveys:list", args=[union_pk])),
        ("GET", reverse("surveys:edit", args=[union_pk, pk])),
        ("POST", reverse("surveys:open", args=[union_pk, pk])),
        ("GET", reverse("surveys:tokens", args=[union_pk, pk])),
        ("POST", reverse("surveys:tokens", args=[union_pk, pk])),
        ("POST", reverse("surveys:close", args=[union_pk, pk])),
        ("GET", reverse("surveys:results", args=[union_pk, pk])),
        ("GET", reverse("surveys:export", args=[union_pk, pk])),
        ("POST", reverse("surveys:reply", args=[union_pk, pk])),
    ]


def test_S5_2_office_drafts_edits_opens_prints_closes_and_replies(cast, login):
    for _i in range(3):
        make_member(cast.union)
    client = login(cast.office)
    created = client.post(
        reverse("surveys:list", args=[cast.union.pk]),
        {
            "title": "2026年满意度测评",
            "opens_on": "2026-01-01",
            "closes_on": "2099-12-31",
            "threshold_pct": "90",
        },
    )
    cycle = SurveyCycle.objects.get(union=cast.union)
    assert created["Location"] == reverse("surveys:edit", args=[cast.union.pk, cycle.pk])
    assert cycle.questions.count() == len(DEFAULT_QUESTIONS)
    # the office drops the Workers' Home question and adds one of its own
    edit = client.get(created["Location"]).content.decode()
    assert "职工之家" in edit  # the default questions in the site's language
    rows = [
        (q.text, q.kind, q.required) for q in cycle.questions.order_by("order") if "职工之家" not in q.text
    ]
    rows.append(("对工会食堂管理是否满意？", "rating", True))
    data = {"title": "2026年满意度测评", "opens_on": "2026-01-01", "closes_on": "2099-12-31"}
    data |= {"threshold_pct": "85", "q-TOTAL_FORMS": len(rows), "q-INITIAL_FORMS": 0}
    for n, (text, kind, required) in enumerate(rows):
        data |= {f"q-{n}-text": text, f"q-{n}-kind": kind} | ({f"q-{n}-required": "on"} if required else {})
    assert client.post(created["Location"], data).status_code == 302
    assert SurveyQuestion.objects.filter(cycle=cycle, text="对工会食堂管理是否满意？").exists()
    assert not SurveyQuestion.objects.filter(cycle=cycle, text__contains="职工之家").exists()
    # opening prints one slip per member with the link and its QR code
    slips = client.post(reverse("surveys:open", args=[cast.union.pk, cycle.pk]))
    page = slips.content.decode()
    assert slips.status_code == 200 and page.count('data-testid="slip-') == 3
    assert page.count('<svg viewBox="') == 3 and 'class="survey-qr"' in page and "style=" not in page
    assert "no-store" in slips["Cache-Control"]
    tokens = set(TOKEN_RE.findall(page))
    assert len(tokens) == 3 and SurveyToken.objects.filter(cycle=cycle).count() == 3
    assert not SurveyToken.objects.filter(token_hash__in=tokens).exists()  # only hashes are kept
    # the questions no longer change once open
    assert client.get(created["Location"])["Location"].endswith("/results/")
    # a member who joined later gets a link
    newcomer = make_member(cast.union)
    more = client.post(reverse("surveys:tokens", args=[cast.union.pk, cycle.pk]), {"missing": "1"})
    assert f'data-testid="slip-{newcomer.pk}"' in more.content.decode()
    # answers, then close, then the reply
    token = tokens.pop()
    answer = {f"q{q.pk}": "5" for q in cycle.questions.filter(kind="rating")}
    assert client.post(reverse("surveys:answer", args=[token]), answer).status_code == 302
    client.post(reverse("surveys:close", args=[cast.union.pk, cycle.pk]))
    results = client.get(reverse("surveys:results", args=[cast.union.pk, cycle.pk]))
    assert 'data-testid="met"' in results.content.decode() and "25.0%" in results.content.decode()
    empty = client.post(reverse("surveys:reply", args=[cast.union.pk, cycle.pk]), {"reply": "  "})
    assert empty.status_code == 400
    client.post(reverse("surveys:reply", args=[cast.union.pk, cycle.pk]), {"reply": "将增加食堂窗口。"})
    cycle.refresh_from_db()
    assert cycle.reply == "将增加食堂窗口。" and cycle.reply_published_on is not None


def test_S5_2_results_show_the_threshold_and_export_to_xlsx(cast, login, supervisor_of, tree):
    cycle = make_survey_with_answers(cast.union, answers=[[5], [4], [3, 5], [2]], actor=cast.office)
    supervisor = supervisor_of(tree["dept_a"])
    client = login(supervisor)
    page = client.get(reverse("surveys:results", args=[cast.union.pk, cycle.pk]))
    body = page.content.decode()
    # 9 rating questions: 5,4 all satisfied (18), 3 then 5 (8 of 9), 2 none → 26 of 36 = 72.2 %
    assert 'data-testid="not-met"' in body and "72.2%" in body and "90%" in body
    assert 'data-testid="close-form"' not in body and 'data-testid="reply-form"' not in body
    export = client.get(reverse("surveys:export", args=[cast.union.pk, cycle.pk]))
    sheet = load_workbook(BytesIO(export.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert 72.2 in values and "否" in values and "满意率标准（%）" in values
    # a supervisor reads but does not manage
    refused = client.post(reverse("surveys:close", args=[cast.union.pk, cycle.pk]))
    assert refused.status_code == 403


def test_S5_2_every_page_refuses_other_unions_people(cast, tree, login):
    cycle = make_survey_with_answers(cast.union, answers=[[5]], close=False, actor=cast.office)
    member_elsewhere = make_member(tree["b1"], person=UserFactory())
    a1_member = make_member(cast.union, person=UserFactory())
    representative = cast.representatives[0]
    for person, allowed in (
        (cast.outsider, (403, 404)),
        (member_elsewhere.person, (403, 404)),
        (a1_member.person, (403, 404)),
        (representative, (403,)),
    ):
        client = login(person)
        for method, url in _pages(cast.union.pk, cycle.pk):
            response = getattr(client, method.lower())(url, {})
            assert response.status_code in allowed, (person, method, url, response.status_code)
    # b1's own office cannot reach a1's cycle through b1's pages either
    b1_office = seated(tree["b1"], Role.OFFICE_STAFF)
    client = login(b1_office)
    for method, url in _pages(tree["b1"].pk, cycle.pk)[2:]:
        assert getattr(client, method.lower())(url, {}).status_code == 404, url
    cycle.refresh_from_db()
    assert cycle.status == "open"


@pytest.mark.parametrize("answers", [2, 12])
def test_S5_2_list_and_results_queries_do_not_grow_with_answers(
    cast, login, django_assert_max_num_queries, answers
):
    cycle = make_survey_with_answers(cast.union, answers=[[4, 5, 3]] * answers, actor=cast.office)
    make_survey_with_answers(cast.union, answers=[[5]] * answers, close=False, actor=cast.office)
    client = login(cast.office)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("surveys:list", args=[cast.union.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("surveys:results", args=[cast.union.pk, cycle.pk])).status_code == 200


def test_S5_2_opening_refuses_without_members_and_dates_must_hold(cast, login):
    client = login(cast.office)
    bad = client.post(
        reverse("surveys:list", args=[cast.union.pk]),
        {"title": "测评", "opens_on": "2026-05-01", "closes_on": "2026-04-01", "threshold_pct": "90"},
    )
    assert bad.status_code == 400 and shows(bad, errors.CLOSES_BEFORE_OPENING)
    assert 'value="测评"' in bad.content.decode()  # what was typed is kept
    client.post(
        reverse("surveys:list", args=[cast.union.pk]),
        {"title": "测评", "opens_on": "2026-01-01", "closes_on": "2099-04-01", "threshold_pct": "90"},
    )
    cycle = SurveyCycle.objects.get(union=cast.union)
    response = client.post(reverse("surveys:open", args=[cast.union.pk, cycle.pk]), follow=True)
    assert shows(response, errors.NO_MEMBERS)
    cycle.refresh_from_db()
    assert cycle.status == "draft"
