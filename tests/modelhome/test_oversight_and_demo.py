"""S5.2 above the union: the oversight tab lists the titles of the unions below (re-examination due
first) and the applications awaiting the viewer's union, in queries that do not grow with the unions;
the demo has an application under review and an earlier title. Idempotent."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import demo_seeders
from core.demo import seed_demo
from core.models import Role, Union
from tests.factories import make_union, seated
from tests.modelhome.helpers import YEAR, make_home
from workflows.modelhome import services, standards
from workflows.modelhome.demo import seed_demo_model_home
from workflows.modelhome.models import ApplicationStatus, HomeApplication, HomeCriterion, HomeTitle

pytestmark = pytest.mark.django_db
TAB = "/oversight/model-home/"


def test_S5_2_the_oversight_tab_shows_titles_due_and_applications_awaiting(tree, cast, client):
    home = make_home(tree)
    HomeCriterion.objects.filter(dimension__standard=home.standard).update(evidence_required=False)
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    services.application_submit(actor=cast.office, application=application)
    standards.title_record(
        actor=home.prov_office, union=tree["a2"], year=YEAR - 3, level="provincial", awarded_by=tree["prov"]
    )
    standards.title_record(
        actor=home.prov_office, union=tree["b1"], year=YEAR - 1, level="provincial", awarded_by=tree["prov"]
    )
    client.force_login(seated(tree["dept_a"], Role.SUPERVISOR))
    with CaptureQueriesContext(connection) as few:
        html = client.get(TAB).content.decode()
    assert f'data-testid="title-{tree["a2"].pk}"' in html and 'data-testid="due"' in html
    assert f'data-testid="title-{tree["b1"].pk}"' not in html  # another department's
    client.force_login(home.dept_chair)  # the department's chair: the application awaits its union
    page = client.get(TAB)
    assert f'data-testid="awaiting-{cast.union.pk}"' in page.content.decode()
    # many more unions with titles below: the same queries
    for _n in range(6):
        union = make_union("grassroots", tree["dept_a"])
        standards.title_record(
            actor=home.prov_office, union=union, year=YEAR - 1, level="provincial", awarded_by=tree["prov"]
        )
    client.force_login(seated(tree["dept_a"], Role.SUPERVISOR))
    with CaptureQueriesContext(connection) as many:
        html = client.get(TAB).content.decode()
    assert len(many) == len(few) and html.count('data-testid="title-') == 7


def test_S5_2_the_oversight_tab_refuses_whoever_oversees_nothing(tree, cast, client):
    client.force_login(cast.committee_members[0])
    assert client.get(TAB).status_code in (403, 404)


def test_S5_1_S5_2_demo_has_an_application_under_review_and_an_earlier_title():
    seed_demo()
    # the evidence of fin-office's application is what the earlier seeders made (budget, plan, rules,
    # training, contacts, members, the survey): run them in their order
    for seeder in demo_seeders.seeders():
        if seeder.order < 94:
            seeder.run(write=lambda *_args: None)
    made = seed_demo_model_home(write=None)
    assert made and seed_demo_model_home(write=None) == []
    application = HomeApplication.objects.get(union__code="fin-office")
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reviewing_union == Union.objects.get(code="fin")
    title = HomeTitle.objects.get(union__code="edu-office")
    assert title.reexamine_in == timezone.localdate().year
