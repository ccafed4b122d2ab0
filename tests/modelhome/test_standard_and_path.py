"""S5.1, S5.2: the shipped standard adopted as data, copied to a new year, edited and published by the
provincial organs union only; the application's whole path (draft → submitted → returned → resubmitted
→ recommended → awarded) with the title and its re-examination year; a union directly under the
province skips the department's review; refusals that name what is wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Role
from notifications.models import Notification
from tests.factories import make_union, seated
from tests.modelhome.helpers import YEAR, enter_manual, full_evidence, make_home
from workflows.modelhome import errors, selectors, services, standards
from workflows.modelhome.models import (
    ApplicationStatus,
    HomeCriterion,
    HomeDimension,
    HomeReview,
    HomeTitle,
    StandardStatus,
)

pytestmark = pytest.mark.django_db


def test_S5_2_the_shipped_standard_loads_with_weights_adding_up_as_declared(tree):
    home = make_home(tree, publish=False)
    shipped = standards.shipped_standard()
    assert "S5.1" in shipped["source"] and "S5.2" in shipped["source"]
    dimensions = selectors.standard_with_criteria(home.standard)
    assert [d.code for d in dimensions] == [d["code"] for d in shipped["dimensions"]]
    assert sum(d.weight for d in dimensions) == Decimal(shipped["total"])
    for dimension in dimensions:
        assert sum(c.points for c in dimension.criteria.all()) == dimension.weight
    thresholds = dict(
        HomeCriterion.objects.filter(
            dimension__standard=home.standard, threshold_pct__isnull=False
        ).values_list("evidence_source", "threshold_pct")
    )
    assert thresholds == {"membership_rate": Decimal(90), "satisfaction": Decimal(90)}
    assert standards.standard_problems(home.standard) == []


def test_S5_2_only_the_provincial_unions_keepers_adopt_edit_and_publish(tree, cast):
    home = make_home(tree, publish=False)
    with pytest.raises(PermissionDenied):
        standards.standard_adopt_shipped(union=tree["prov"], year=YEAR + 1, by=cast.chair)
    with pytest.raises(ValidationError) as refused:
        standards.standard_adopt_shipped(union=tree["dept_a"], year=YEAR, by=home.dept_office)
    assert str(errors.NOT_PROVINCIAL) in refused.value.messages
    with pytest.raises(ValidationError):  # one standard a year
        standards.standard_adopt_shipped(union=tree["prov"], year=YEAR, by=home.prov_office)
    with pytest.raises(PermissionDenied):
        standards.standard_publish(standard=home.standard, by=home.dept_office)


def test_S5_2_a_draft_is_edited_and_published_only_when_its_weights_add_up(tree):
    home = make_home(tree, publish=False)
    political = HomeDimension.objects.get(standard=home.standard, code="political")
    criterion = political.criteria.order_by("order").first()
    standards.standard_update(
        standard=home.standard,
        by=home.prov_chair,
        head={"pass_score": Decimal(85)},
        dimensions={political.pk: {"weight": Decimal(20)}},
        criteria={criterion.pk: {"points": Decimal(10), "text": "党组织每年听取工会工作汇报。"}},
    )
    with pytest.raises(ValidationError) as refused:
        standards.standard_publish(standard=home.standard, by=home.prov_chair)
    assert any("105" in m for m in refused.value.messages)  # the weights' sum, named
    standards.standard_update(
        standard=home.standard,
        by=home.prov_chair,
        head={},
        dimensions={political.pk: {"weight": Decimal(15)}},
        criteria={criterion.pk: {"points": Decimal(5)}},
    )
    published = standards.standard_publish(standard=home.standard, by=home.prov_chair)
    assert published.status == StandardStatus.PUBLISHED and published.pass_score == Decimal(85)
    with pytest.raises(ValidationError) as refused:
        standards.standard_update(
            standard=published, by=home.prov_chair, head={"title": "x"}, dimensions={}, criteria={}
        )
    assert str(errors.STANDARD_PUBLISHED) in refused.value.messages


def test_S5_2_a_standard_is_copied_to_a_new_year_as_a_draft(tree):
    home = make_home(tree)
    copy = standards.standard_copy_to_year(standard=home.standard, year=YEAR + 1, by=home.prov_office)
    assert copy.status == StandardStatus.DRAFT and copy.year == YEAR + 1 and str(YEAR + 1) in copy.title
    old = [(c.text, c.points, c.evidence_source) for c in selectors.criteria_of(home.standard.pk)]
    new = [(c.text, c.points, c.evidence_source) for c in selectors.criteria_of(copy.pk)]
    assert old == new and len(new) == 15


def test_S5_2_a_union_without_a_published_standard_is_told_clearly(tree, cast):
    make_home(tree, publish=False)
    with pytest.raises(ValidationError) as refused:
        services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    assert tree["prov"].name in refused.value.messages[0] and str(YEAR) in refused.value.messages[0]


def test_S5_2_submit_is_refused_naming_each_required_evidence_missing_and_keeps_what_was_entered(tree, cast):
    make_home(tree)
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    enter_manual(application, cast.office)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=cast.office, application=application)
    messages = refused.value.messages
    assert any("会员入会率达到90%以上" in m for m in messages)  # the membership rate, named
    assert any("经费预算" in m for m in messages)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert all(s.self_score is not None for s in selectors.scores_of(application))  # nothing lost


def test_S5_1_S5_2_the_whole_path_from_self_evaluation_to_the_title(tree, cast):
    home = make_home(tree)
    full_evidence(cast)
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    enter_manual(application, cast.office)
    # submitted to department union A
    services.application_submit(actor=cast.office, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.reviewing_union == tree["dept_a"]
    assert Notification.objects.filter(
        recipient=home.dept_office, url__contains=f"/{application.pk}/"
    ).exists()
    # returned with opinions: back to the union, editable
    with pytest.raises(ValidationError):
        services.application_review(actor=home.dept_chair, application=application, decision="returned")
    services.application_review(
        actor=home.dept_chair, application=application, decision="returned", opinion="请补充活动照片。"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED and application.editable
    assert Notification.objects.filter(recipient=cast.office, title__contains="").count() >= 1
    enter_manual(application, cast.chair)
    services.application_submit(actor=cast.chair, application=application)
    services.application_review(actor=home.dept_office, application=application, decision="recommended")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECOMMENDED
    # the province awards
    services.application_evaluate(
        actor=home.prov_office,
        application=application,
        decision="awarded",
        level="provincial",
        opinion="同意。",
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWARDED
    title = HomeTitle.objects.get(union=cast.union)
    assert (title.year, title.level, title.reexamine_in) == (YEAR, "provincial", YEAR + 3)
    assert title.awarded_by == tree["prov"]
    stages = list(HomeReview.objects.filter(application=application).values_list("stage", "decision"))
    assert stages == [
        ("department_review", "returned"),
        ("department_review", "recommended"),
        ("provincial_evaluation", "awarded"),
    ]


def test_S5_2_a_union_directly_under_the_province_goes_straight_to_evaluation(tree):
    home = make_home(tree)
    direct = make_union("grassroots", tree["prov"])
    office = seated(direct, Role.OFFICE_STAFF)
    application = services.application_create(actor=office, union=direct, year=YEAR)
    # its evidence: only the required ones without automatic sources are needed to test routing
    for score in selectors.scores_of(application):
        score.criterion.evidence_required = False
    HomeCriterion.objects.filter(dimension__standard=home.standard).update(evidence_required=False)
    services.application_submit(actor=office, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECOMMENDED and application.reviewing_union is None
    assert Notification.objects.filter(recipient=home.prov_office).exists()
    with pytest.raises(ValidationError) as refused:
        services.application_review(actor=home.prov_office, application=application, decision="recommended")
    services.application_evaluate(actor=home.prov_chair, application=application, decision="not_awarded")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NOT_AWARDED
    assert not HomeTitle.objects.filter(union=direct).exists()
    assert refused.value is not None


def test_S5_2_an_evaluation_by_someone_outside_the_evaluating_union_is_refused(tree, cast):
    home = make_home(tree)
    HomeCriterion.objects.filter(dimension__standard=home.standard).update(evidence_required=False)
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    services.application_submit(actor=cast.office, application=application)
    # the department union's chair may review, not evaluate
    with pytest.raises(PermissionDenied) as refused:
        services.application_evaluate(
            actor=home.dept_chair, application=application, decision="awarded", level="provincial"
        )
    assert tree["prov"].name in str(refused.value)
    with pytest.raises(PermissionDenied):  # the other department does not review a1
        services.application_review(
            actor=seated(tree["dept_b"], Role.CHAIR, "union_committee"),
            application=application,
            decision="returned",
            opinion="x",
        )
    services.application_review(actor=home.dept_chair, application=application, decision="recommended")
    for outsider in (home.dept_chair, cast.chair, seated(tree["dept_b"], Role.OFFICE_STAFF)):
        with pytest.raises(PermissionDenied):
            services.application_evaluate(
                actor=outsider, application=application, decision="awarded", level="provincial"
            )
    assert not HomeTitle.objects.exists()


def test_S5_2_only_the_unions_chair_and_office_prepare_its_application(tree, cast):
    make_home(tree)
    with pytest.raises(PermissionDenied):
        services.application_create(actor=cast.committee_members[0], union=cast.union, year=YEAR)
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    with pytest.raises(ValidationError):  # one a year
        services.application_create(actor=cast.chair, union=cast.union, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.scores_save(actor=cast.outsider, application=application, entries={})
    score = selectors.scores_of(application)[0]
    with pytest.raises(ValidationError) as refused:
        services.scores_save(
            actor=cast.office, application=application, entries={score.criterion_id: {"self_score": "99"}}
        )
    assert f"score-{score.criterion_id}" in refused.value.error_dict
