"""``field__any``: a list of ids as one array parameter (core/lookups.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Union


def test_any_matches_like_in_with_one_parameter(tree):
    unions = list(Union.objects.order_by("pk")[:3])
    wanted = {unions[0].pk, unions[2].pk, 10**12}
    with CaptureQueriesContext(connection) as queries:
        found = set(Union.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    assert found == {unions[0].pk, unions[2].pk}
    assert found == set(Union.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert "= ANY(" in queries[0]["sql"]


def test_any_on_a_foreign_key_and_an_empty_list(tree):
    parent = Union.objects.filter(parent__isnull=True).order_by("pk").first()
    children = set(Union.objects.filter(parent_id__any=[parent.pk]).values_list("pk", flat=True))
    assert children and children == set(Union.objects.filter(parent=parent).values_list("pk", flat=True))
    assert not Union.objects.filter(pk__any=[]).exists()
