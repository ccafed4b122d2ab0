"""Training records (S4.3): a study or seminar meets the yearly study obligation, a class the training
class obligation of a department organ union of 300 members or more; the sign-in is the union's seat
holders; bad input refused in Chinese with the input kept; outsiders see nothing."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.models import Event, Role
from core.services.statutory import obligations_generate
from core.statutory import Obligation, ObligationRecord
from tests.factories import seated
from workflows.training import errors
from workflows.training.models import TrainingKind, TrainingRecord
from workflows.training.services import training_record

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = 2026
MID_2026 = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=SH)
PDF = b"%PDF-1.4\n%%EOF\n"


def shown(message, **params) -> str:
    """A message as the page shows it: in the default language (Chinese), HTML-escaped."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % params if params else str(message)
    return escape(text)


def new_url(union) -> str:
    return reverse("training:new", args=[union.pk])


def form_data(cast, **overrides) -> dict:
    data = {
        "kind": TrainingKind.SEMINAR,
        "held_on": "2026-06-10",
        "topic": "学习贯彻工会法专题研讨",
        "trainer": "省总工会宣讲员",
        "notes": "全体委员参加",
        "participants": [cast.chair.pk, cast.committee_members[0].pk, cast.representatives[0].pk],
    }
    data.update(overrides)
    return data


def record(cast, union=None, actor=None, **fields) -> TrainingRecord:
    values = {
        "kind": TrainingKind.STUDY,
        "held_on": datetime.date(2026, 5, 1),
        "topic": "集中学习",
        "trainer": "工会主席",
        "participant_ids": [cast.chair.pk],
    }
    values.update(fields)
    return training_record(actor=actor or cast.office, union=union or cast.union, **values)


@pytest.fixture(autouse=True)
def _mid_2026():
    with time_machine.travel(MID_2026, tick=False):
        yield


@pytest.mark.django_db
def test_S4_3_seminar_meets_the_study_obligation_for_the_year(cast, login):
    obligations_generate(fiscal_year=YEAR)
    study = Obligation.objects.get(union=cast.union, code="S4.3-study", fiscal_year=YEAR)
    client = login(cast.office)
    response = client.post(new_url(cast.union), form_data(cast))
    made = TrainingRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("training:detail", args=[made.pk])
    assert set(made.participants.all()) == {cast.chair, cast.committee_members[0], cast.representatives[0]}
    study.refresh_from_db()
    assert study.met_on == datetime.date(2026, 6, 10)
    assert study.met_by == f"trainingrecord:{made.pk}"
    assert Event.objects.filter(verb="training_recorded", union=cast.union, subject_id=str(made.pk)).exists()
    # the record's page shows the sign-in by name, never by username
    html = client.get(reverse("training:detail", args=[made.pk])).content.decode()
    assert cast.chair.full_name in html and cast.chair.username not in html
    # the list shows the obligation met and the record
    listed = client.get(reverse("training:list", args=[cast.union.pk])).content.decode()
    assert f'data-testid="obligation-{study.pk}" data-status="met"' in listed
    assert f'data-testid="record-{made.pk}"' in listed
    # a second seminar the same year leaves the obligation as the first met it
    record(cast, kind=TrainingKind.SEMINAR)
    study.refresh_from_db()
    assert study.met_by == f"trainingrecord:{made.pk}"


@pytest.mark.django_db
def test_S4_3_class_at_a_department_union_of_300_members_meets_the_training_obligation(cast, tree):
    dept = tree["dept_a"]
    dept.member_count = 300
    dept.save(update_fields=["member_count"])
    office = seated(dept, Role.OFFICE_STAFF)
    chair = seated(dept, Role.CHAIR, "union_committee")
    obligations_generate(fiscal_year=YEAR)
    training_record(
        actor=office,
        union=dept,
        kind=TrainingKind.CLASS,
        held_on=datetime.date(2026, 4, 20),
        topic="工会干部业务培训班",
        trainer="省总工会干部学校",
        participant_ids=[chair.pk, office.pk],
    )
    made = TrainingRecord.objects.get()
    training = Obligation.objects.get(union=dept, code="S4.3-training", fiscal_year=YEAR)
    assert training.met_on == datetime.date(2026, 4, 20) and training.met_by == f"trainingrecord:{made.pk}"
    # a class is no study or seminar: the study obligation stays open
    assert Obligation.objects.get(union=dept, code="S4.3-study", fiscal_year=YEAR).met_on is None
    # a grassroots union has no class obligation: its class is recorded, nothing else is met
    assert not Obligation.objects.filter(union=cast.union, code="S4.3-training").exists()
    record(cast, kind=TrainingKind.CLASS)
    assert TrainingRecord.objects.filter(union=cast.union).count() == 1
    assert Obligation.objects.get(union=cast.union, code="S4.3-study", fiscal_year=YEAR).met_on is None


@pytest.mark.django_db
def test_S4_3_training_without_participants_is_refused_in_chinese_with_the_input_kept(cast, login):
    obligations_generate(fiscal_year=YEAR)
    client = login(cast.office)
    response = client.post(new_url(cast.union), form_data(cast, participants=[]))
    assert response.status_code == 400
    html = response.content.decode()
    assert shown(errors.NO_PARTICIPANTS) in html
    assert "请至少勾选一名参加人员" in html  # in Chinese
    assert 'value="学习贯彻工会法专题研讨"' in html and 'value="2026-06-10"' in html
    assert "全体委员参加" in html
    assert not TrainingRecord.objects.exists()
    assert Obligation.objects.get(union=cast.union, code="S4.3-study", fiscal_year=YEAR).met_on is None


@pytest.mark.django_db
def test_S4_3_training_dated_in_the_future_is_refused(cast, login):
    client = login(cast.office)
    response = client.post(new_url(cast.union), form_data(cast, held_on="2026-07-01"))
    assert response.status_code == 400
    html = response.content.decode()
    assert shown(errors.IN_FUTURE) in html
    assert 'value="2026-07-01"' in html
    # the ticked participants stay ticked
    assert re.search(rf'value="{cast.chair.pk}"[^>]*checked', html)
    assert not TrainingRecord.objects.exists()
    with pytest.raises(ValidationError):
        record(cast, held_on=datetime.date(2026, 6, 16))


@pytest.mark.django_db
def test_S4_3_participant_without_a_seat_in_the_union_is_refused(cast, login):
    gone = seated(cast.union, Role.MEMBER, "union_committee")
    gone.seats.update(end_date=datetime.date(2026, 1, 31))
    client = login(cast.office)
    response = client.post(
        new_url(cast.union), form_data(cast, participants=[cast.chair.pk, cast.outsider.pk, gone.pk])
    )
    assert response.status_code == 400
    html = response.content.decode()
    names = "、".join(sorted([str(cast.outsider), str(gone)]))
    assert shown(errors.PARTICIPANT_NO_SEAT, names=names, date="2026-06-10") in html
    assert not TrainingRecord.objects.exists()
    # the sign-in offers the union's seat holders in force only, by name
    form_page = client.get(new_url(cast.union)).content.decode()
    assert cast.chair.full_name in form_page and cast.chair.username not in form_page
    assert cast.outsider.full_name not in form_page and gone.full_name not in form_page


@pytest.mark.django_db
def test_S4_3_outsider_gets_404_on_every_training_page_and_post(cast, login):
    made = record(cast, materials=SimpleUploadedFile("签到表.pdf", PDF))
    client = login(cast.outsider)
    for url in (
        reverse("training:list", args=[cast.union.pk]),
        new_url(cast.union),
        reverse("training:detail", args=[made.pk]),
        reverse("training:materials", args=[made.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(new_url(cast.union), form_data(cast)).status_code == 404
    # a congress representative sees the union, not its documents
    login(cast.representatives[0])
    assert client.get(reverse("training:list", args=[cast.union.pk])).status_code == 404
    assert client.get(reverse("training:detail", args=[made.pk])).status_code == 404
    assert TrainingRecord.objects.count() == 1


@pytest.mark.django_db
def test_S4_3_committee_member_without_draft_right_gets_403_on_post(cast, login):
    client = login(cast.committee_members[0])
    listed = client.get(reverse("training:list", args=[cast.union.pk]))
    assert listed.status_code == 200
    assert 'data-testid="new-training"' not in listed.content.decode()
    assert client.post(new_url(cast.union), form_data(cast)).status_code == 403
    assert not TrainingRecord.objects.exists()
    with pytest.raises(PermissionDenied):
        record(cast, actor=cast.committee_members[0])


@pytest.mark.django_db
def test_S4_3_supervisor_above_reads_the_records_and_materials(cast, tree, supervisor_of, login):
    made = record(cast, materials=SimpleUploadedFile("签到表.pdf", PDF))
    assert made.materials_name == "签到表.pdf" and not made.materials.name.endswith(".pdf")  # random name
    client = login(supervisor_of(tree["dept_a"]))
    listed = client.get(f"{reverse('training:list', args=[cast.union.pk])}?year={YEAR}")
    assert listed.status_code == 200 and 'data-testid="new-training"' not in listed.content.decode()
    detail = client.get(reverse("training:detail", args=[made.pk])).content.decode()
    assert reverse("training:materials", args=[made.pk]) in detail
    response = client.get(reverse("training:materials", args=[made.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert client.post(new_url(cast.union), form_data(cast)).status_code == 403


@pytest.mark.django_db
def test_S4_3_materials_of_the_wrong_kind_are_refused_with_the_input_kept(cast, login):
    client = login(cast.office)
    data = form_data(cast, materials=SimpleUploadedFile("virus.exe", b"MZ"))
    response = client.post(new_url(cast.union), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert ".exe" in html and 'value="学习贯彻工会法专题研讨"' in html
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_S4_3_training_list_query_count_is_bounded(cast, login, django_assert_max_num_queries):
    obligations_generate(fiscal_year=YEAR)
    for day in range(1, 9):
        record(cast, held_on=datetime.date(2026, 3, day), participant_ids=[cast.chair.pk, cast.office.pk])
    client = login(cast.chair)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:list", args=[cast.union.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="record-') == 8


@pytest.mark.django_db
def test_S4_3_calendar_offers_no_record_link_and_links_the_training_that_met_it(cast, login):
    obligations_generate(fiscal_year=YEAR)
    study = Obligation.objects.get(union=cast.union, code="S4.3-study", fiscal_year=YEAR)
    client = login(cast.office)
    page = reverse("obligations", args=[cast.union.pk])
    html = client.get(page).content.decode()
    assert f'data-testid="record-{study.pk}"' not in html
    assert reverse("obligation_record", args=[study.pk]) not in html
    assert client.get(reverse("obligation_record", args=[study.pk])).status_code == 404
    refused = client.post(
        reverse("obligation_record", args=[study.pk]), {"held_on": "2026-06-01", "note": "x"}
    )
    assert refused.status_code == 404 and not ObligationRecord.objects.exists()
    made = record(cast, kind=TrainingKind.SEMINAR, topic="工会法专题研讨")
    met = client.get(page).content.decode()
    assert reverse("training:detail", args=[made.pk]) in met and "工会法专题研讨" in met
    # the union page links the training page
    assert (
        reverse("training:list", args=[cast.union.pk])
        in client.get(reverse("union_detail", args=[cast.union.pk])).content.decode()
    )


@pytest.mark.django_db
def test_S4_3_demo_records_a_class_at_fin_and_a_seminar_at_fin_office_once():
    from core.demo import seed_demo
    from workflows.training.demo import seed_demo_training

    seed_demo()
    obligations_generate(fiscal_year=YEAR)
    seed_demo_training(write=lambda _line: None)
    seed_demo_training(write=lambda _line: None)
    kinds = sorted(TrainingRecord.objects.values_list("union__code", "kind"))
    assert kinds == [("fin", TrainingKind.CLASS), ("fin-office", TrainingKind.SEMINAR)]
    assert Obligation.objects.get(union__code="fin", code="S4.3-training", fiscal_year=YEAR).met_on
    assert Obligation.objects.get(union__code="fin-office", code="S4.3-study", fiscal_year=YEAR).met_on
    assert all(r.participants.exists() for r in TrainingRecord.objects.all())
