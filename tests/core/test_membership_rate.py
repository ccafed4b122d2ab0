"""S5.3: the union page says whether its member count comes from the register and gives the membership
rate (members over the organ's workers) once the workers are given."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Union

pytestmark = pytest.mark.django_db


def test_S5_3_the_union_page_marks_a_typed_count_and_gives_the_membership_rate(cast, client):
    Union.objects.filter(pk=cast.union.pk).update(member_count=45, worker_count=50)
    client.force_login(cast.chair)
    html = client.get(reverse("union_detail", args=[cast.union.pk])).content.decode()
    assert 'data-testid="count-not-from-register"' in html
    assert 'data-testid="membership-rate"' in html and "90%" in html
    Union.objects.filter(pk=cast.union.pk).update(member_count_from_register=True, worker_count=None)
    html = client.get(reverse("union_detail", args=[cast.union.pk])).content.decode()
    assert 'data-testid="count-not-from-register"' not in html
    assert 'data-testid="membership-rate"' not in html
    union = Union.objects.get(pk=cast.union.pk)
    assert union.membership_rate is None
    union.worker_count = 60
    assert union.membership_rate == pytest.approx(0.75)
