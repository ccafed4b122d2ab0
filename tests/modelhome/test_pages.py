"""S5.1, S5.2 through the pages: the overview, the self-evaluation (saved, refused with what was typed
kept), the department union's review, the provincial evaluation, the standard's pages; the outsider
refused on every page; the self-evaluation page's queries do not grow with the criteria."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from tests.factories import seated
from tests.modelhome.helpers import YEAR, make_home
from workflows.modelhome import services
from workflows.modelhome.models import (
    ApplicationStatus,
    HomeApplication,
    HomeCriterion,
    HomeScore,
    HomeTitle,
)

pytestmark = pytest.mark.django_db


def _relaxed(home):
    HomeCriterion.objects.filter(dimension__standard=home.standard).update(evidence_required=False)


def _application(cast, *, submit=False):
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    if submit:
        services.application_submit(actor=cast.office, application=application)
    return application


def _pages(application, home):
    union = application.union
    return [
        ("get", reverse("modelhome:overview", args=[union.pk])),
        ("post", reverse("modelhome:apply", args=[union.pk])),
        ("get", reverse("modelhome:application", args=[application.pk])),
        ("post", reverse("modelhome:application", args=[application.pk])),
        ("get", reverse("modelhome:review", args=[application.pk])),
        ("post", reverse("modelhome:review", args=[application.pk])),
        ("get", reverse("modelhome:evaluate", args=[application.pk])),
        ("post", reverse("modelhome:evaluate", args=[application.pk])),
        ("get", reverse("modelhome:standards", args=[home.prov.pk])),
        ("post", reverse("modelhome:standards", args=[home.prov.pk])),
        ("get", reverse("modelhome:standard", args=[home.standard.pk])),
        ("post", reverse("modelhome:standard", args=[home.standard.pk])),
    ]


def test_S5_2_the_outsider_is_refused_on_every_page(tree, cast, client):
    home = make_home(tree)
    _relaxed(home)
    application = _application(cast, submit=True)
    for outsider in (cast.outsider, seated(tree["dept_b"], Role.SUPERVISOR)):
        client.force_login(outsider)
        for method, url in _pages(application, home):
            answer = getattr(client, method)(url, {"action": "submit", "decision": "awarded", "year": 2030})
            assert answer.status_code in (403, 404), (outsider, method, url)
    # a plain committee member of a1 sees the union, not these pages
    client.force_login(cast.committee_members[0])
    assert client.get(reverse("modelhome:overview", args=[cast.union.pk])).status_code == 403
    assert client.get(reverse("modelhome:application", args=[application.pk])).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and not HomeTitle.objects.exists()


def test_S5_1_the_overview_starts_a_self_evaluation_and_the_page_saves_it(tree, cast, client):
    make_home(tree)
    client.force_login(cast.office)
    page = client.get(reverse("modelhome:overview", args=[cast.union.pk]))
    assert page.status_code == 200 and 'data-testid="apply-form"' in page.content.decode()
    answer = client.post(reverse("modelhome:apply", args=[cast.union.pk]), {"level_sought": "provincial"})
    application = HomeApplication.objects.get(union=cast.union)
    assert answer.url == reverse("modelhome:application", args=[application.pk])
    score = HomeScore.objects.filter(application=application).order_by("criterion_id").first()
    cid = score.criterion_id
    url = reverse("modelhome:application", args=[application.pk])
    saved = client.post(url, {"action": "save", f"score-{cid}": "4", f"evidence-{cid}": "会议纪要第5号"})
    assert saved.status_code == 302
    score.refresh_from_db()
    assert score.self_score == Decimal(4) and score.evidence == "会议纪要第5号"
    html = client.get(url).content.decode()
    assert 'data-testid="missing"' in html and "会议纪要第5号" in html


def test_S5_2_submit_on_the_page_is_refused_naming_the_criterion_and_keeps_what_was_typed(tree, cast, client):
    make_home(tree)
    application = _application(cast)
    client.force_login(cast.chair)
    cid = HomeScore.objects.filter(application=application).order_by("criterion_id").first().criterion_id
    answer = client.post(
        reverse("modelhome:application", args=[application.pk]),
        {"action": "submit", f"score-{cid}": "3", f"note-{cid}": "已逐条对照", "summary": "创建总结"},
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "会员入会率达到90%以上。" in html and 'data-testid="problems"' in html
    assert "已逐条对照" in html and "创建总结" in html
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_S5_2_review_and_evaluation_through_their_pages(tree, cast, client):
    home = make_home(tree)
    _relaxed(home)
    application = _application(cast, submit=True)
    client.force_login(home.dept_office)
    assert client.get(reverse("modelhome:review", args=[application.pk])).status_code == 200
    overview = client.get(reverse("modelhome:overview", args=[tree["dept_a"].pk])).content.decode()
    assert reverse("modelhome:review", args=[application.pk]) in overview
    refused = client.post(reverse("modelhome:review", args=[application.pk]), {"decision": "returned"})
    assert refused.status_code == 400  # opinions needed to return
    client.post(
        reverse("modelhome:review", args=[application.pk]), {"decision": "recommended", "opinion": "同意推荐"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECOMMENDED
    # an evaluation by someone outside the evaluating union: the department's office is refused
    assert (
        client.post(
            reverse("modelhome:evaluate", args=[application.pk]),
            {"decision": "awarded", "level": "provincial"},
        ).status_code
        == 403
    )
    client.force_login(home.prov_office)
    page = client.post(
        reverse("modelhome:evaluate", args=[application.pk]), {"decision": "awarded", "level": "provincial"}
    )
    assert page.status_code == 302
    title = HomeTitle.objects.get(union=cast.union)
    assert title.reexamine_in == YEAR + 3
    client.force_login(cast.chair)
    union_page = client.get(reverse("union_detail", args=[cast.union.pk])).content.decode()
    assert 'data-testid="home-titles"' in union_page and 'data-testid="modelhome-link"' in union_page


def test_S5_2_the_standard_pages_adopt_edit_publish_and_copy(tree, client):
    home = make_home(tree, publish=False)
    client.force_login(home.prov_office)
    url = reverse("modelhome:standard", args=[home.standard.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="standard-form"' in page.content.decode()
    form = {k: v for k, v in _form_of(home.standard).items()}
    first = HomeCriterion.objects.filter(dimension__standard=home.standard).order_by("id").first()
    form[f"cpoints-{first.pk}"] = "abc"
    refused = client.post(url, {**form, "action": "save"})
    assert refused.status_code == 400 and "abc" in refused.content.decode()
    form[f"cpoints-{first.pk}"] = str(first.points)
    assert client.post(url, {**form, "action": "publish"}).status_code == 302
    home.standard.refresh_from_db()
    assert home.standard.status == "published"
    copied = client.post(url, {"action": "copy", "year": YEAR + 1})
    assert copied.status_code == 302
    listing = client.get(reverse("modelhome:standards", args=[home.prov.pk])).content.decode()
    assert str(YEAR + 1) in listing


def _form_of(standard) -> dict:
    form = {
        "title": standard.title,
        "source": standard.source,
        "pass_score": str(standard.pass_score),
        "reexamine_every_years": str(standard.reexamine_every_years),
    }
    for d in standard.dimensions.all():
        form[f"dname-{d.pk}"], form[f"dweight-{d.pk}"] = d.name, str(d.weight)
        for c in d.criteria.all():
            form[f"ctext-{c.pk}"], form[f"cpoints-{c.pk}"] = c.text, str(c.points)
            form[f"chow-{c.pk}"], form[f"csource-{c.pk}"] = c.how_evidenced, c.evidence_source
            form[f"cthreshold-{c.pk}"] = "" if c.threshold_pct is None else str(c.threshold_pct)
            if c.evidence_required:
                form[f"crequired-{c.pk}"] = "on"
    return form


def test_S5_2_the_self_evaluation_page_costs_the_same_whatever_the_number_of_criteria(tree, cast, client):
    make_home(tree)
    application = _application(cast)
    client.force_login(cast.office)
    url = reverse("modelhome:application", args=[application.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    dimension = HomeCriterion.objects.filter(dimension__standard=application.standard).first().dimension
    sources = [
        "budget_in_force",
        "committee_rules",
        "training",
        "contacts",
        "satisfaction",
        "plan_tasks",
        "manual",
    ]
    for n in range(14):
        criterion = HomeCriterion.objects.create(
            dimension=dimension,
            order=50 + n,
            text=f"补充条件{n}",
            points=1,
            evidence_source=sources[n % len(sources)],
        )
        HomeScore.objects.create(application=application, criterion=criterion)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 40
