"""S1.2 planning together (一起研究、一起部署): a task of the annual plan is marked as deployed together with
Party building, with the reference of the Party organisation's document; the plan's page shows it, and bad
input is refused in Chinese with what was typed kept."""

from __future__ import annotations

import dataclasses
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.pages import content
from workflows.plan.diff import plan_diff
from workflows.plan.forms import REFERENCE_WITHOUT_FLAG
from workflows.plan.models import DutyArea, PlanItem, PlanVersion
from workflows.plan.services import ItemInput, SectionInput, plan_create, plan_save

pytestmark = pytest.mark.django_db

REFERENCE = "机党发〔2027〕2号"


def _post(**overrides) -> dict:
    """The edit form's POST: one task in every duty area, owned by the office."""
    data = {"foreword": ""}
    for area in DutyArea.values:
        data[f"{area}-0-title"] = f"{area} 重点任务"
        data[f"{area}-0-owner_text"] = "办公室"
        data[f"{area}-0-starts_on"] = "2027-03-01"
        data[f"{area}-0-ends_on"] = "2027-11-30"
        data[f"{area}-reason"] = ""
    data.update(overrides)
    return data


def test_S1_2_a_task_deployed_together_with_party_building_shows_on_the_plan_with_its_reference(
    cast, client, login
):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    client.force_login(cast.office)
    edit = reverse("plan:edit", args=[plan.pk])
    response = client.post(
        edit, _post(**{"ideology-0-with_party": "on", "ideology-0-party_reference": f" {REFERENCE} "})
    )
    assert response.status_code == 302
    item = PlanItem.objects.get(section__version=plan.current_version, section__area="ideology")
    assert (item.with_party, item.party_reference) == (True, REFERENCE)
    assert not PlanItem.objects.filter(with_party=True).exclude(pk=item.pk).exists()
    detail = reverse("plan:detail", args=[plan.pk])
    page = content(client.get(detail))
    assert page.count('data-testid="with-party"') == 1
    assert "与党建一起部署" in page and REFERENCE in page
    form = content(client.get(edit))  # the edit page shows it again, ticked
    assert f'value="{REFERENCE}"' in form
    assert re.search(r'<input[^>]*name="ideology-0-with_party"[^>]*checked', form)
    assert not re.search(r'<input[^>]*name="funds-0-with_party"[^>]*checked', form)
    assert login(cast.outsider).get(detail).status_code == 404


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ({"funds-0-with_party": "on", "funds-0-party_reference": "号" * 101}, "100"),
        ({"funds-0-party_reference": REFERENCE}, str(REFERENCE_WITHOUT_FLAG)),
    ],
)
def test_S1_2_bad_planning_together_input_is_refused_in_chinese_and_what_was_typed_is_kept(
    cast, client, typed, told
):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    client.force_login(cast.office)
    response = client.post(reverse("plan:edit", args=[plan.pk]), _post(**typed))
    assert response.status_code == 400
    page = content(response)
    assert told in page and "经费收支" in page  # the message, under the duty area's name
    assert f'value="{typed["funds-0-party_reference"]}"' in page
    assert 'value="funds 重点任务"' in page
    if "funds-0-with_party" in typed:
        assert "不超过 100 字符" in page  # Django's own length message, in Chinese
        assert re.search(r'<input[^>]*name="funds-0-with_party"[^>]*checked', page)
    assert not PlanItem.objects.exists()


def test_S1_2_the_service_refuses_an_overlong_reference_and_the_diff_names_the_change(cast):
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    task = ItemInput("理论学习", datetime.date(2027, 3, 1), datetime.date(2027, 6, 30), owner_text="办公室")
    overlong = dataclasses.replace(task, with_party=True, party_reference="号" * 101)
    with pytest.raises(ValidationError) as refused:
        plan_save(actor=cast.office, plan=plan, sections=[SectionInput("ideology", [overlong])])
    assert "理论学习" in " ".join(refused.value.messages)
    first = plan_save(actor=cast.office, plan=plan, sections=[SectionInput("ideology", [task])])
    key = PlanItem.objects.get(section__version=first).key
    PlanVersion.objects.filter(pk=first.pk).update(submitted_at=timezone.now())  # as when it went out
    plan.refresh_from_db()
    deployed = dataclasses.replace(task, key=key, with_party=True, party_reference=REFERENCE)
    second = plan_save(actor=cast.office, plan=plan, sections=[SectionInput("ideology", [deployed])])
    assert second.number == first.number + 1
    changes = plan_diff(list(first.sections.all()), list(second.sections.all()))
    assert [c["change"] for c in changes] == ["changed"]
    assert "与党建工作一起部署" in changes[0]["fields"]
