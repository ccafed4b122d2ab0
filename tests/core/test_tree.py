"""The union tree: ancestors and descendants in one query each; no cycles; kind rules."""

import pytest
from django.core.exceptions import ValidationError

from core import errors
from core.models import UnionKind
from core.selectors import union_ancestor_chain, union_ancestors, union_descendants
from core.services.unions import union_move
from tests.factories import make_union


@pytest.mark.django_db
def test_descendants_of_provincial_union_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        ids = set(union_descendants(union=tree["prov"]).values_list("id", flat=True))
    assert ids == {u.pk for key, u in tree.items() if key != "prov"}


@pytest.mark.django_db
def test_descendants_of_department_exclude_other_department(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        ids = set(union_descendants(union=tree["dept_a"]).values_list("id", flat=True))
    assert ids == {tree["a1"].pk, tree["a2"].pk, tree["a1g"].pk}


@pytest.mark.django_db
def test_ancestors_of_group_in_one_query_top_down(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        chain = union_ancestor_chain(union=tree["a1g"])
    assert [u.pk for u in chain] == [tree["prov"].pk, tree["dept_a"].pk, tree["a1"].pk]
    with django_assert_num_queries(1):
        assert set(union_ancestors(union=tree["a1"]).values_list("id", flat=True)) == {
            tree["prov"].pk,
            tree["dept_a"].pk,
        }


@pytest.mark.django_db
def test_tree_query_count_does_not_grow_with_the_tree(tree, django_assert_num_queries):
    for _ in range(30):
        make_union(UnionKind.GRASSROOTS, tree["dept_b"])
    with django_assert_num_queries(1):
        assert union_descendants(union=tree["prov"]).count() == 36


@pytest.mark.django_db
def test_moving_a_union_below_its_own_descendant_is_refused(tree):
    dept_a = tree["dept_a"]
    dept_a.parent = tree["a1"]
    with pytest.raises(ValidationError) as exc:
        dept_a.full_clean()
    assert exc.value.message_dict["parent"] == [str(errors.UNION_PARENT_CYCLE)]


@pytest.mark.django_db
def test_cycle_through_a_grassroots_and_its_group_is_refused(tree):
    a1 = tree["a1"]
    a1.parent = tree["a1g"]  # group below a1 becoming a1's parent would close a loop
    with pytest.raises(ValidationError) as exc:
        a1.full_clean()
    assert exc.value.message_dict["parent"] == [str(errors.UNION_PARENT_CYCLE)]


@pytest.mark.django_db
def test_a_union_cannot_be_its_own_parent(tree):
    a1 = tree["a1"]
    a1.parent = a1
    with pytest.raises(ValidationError) as exc:
        a1.full_clean()
    assert exc.value.message_dict["parent"] == [str(errors.UNION_PARENT_SELF)]


@pytest.mark.django_db
def test_group_cannot_hang_under_provincial_union(tree):
    with pytest.raises(ValidationError) as exc:
        make_union(UnionKind.GROUP, tree["prov"])
    assert "parent" in exc.value.message_dict


@pytest.mark.django_db
def test_provincial_union_has_no_parent(tree):
    with pytest.raises(ValidationError) as exc:
        make_union(UnionKind.PROVINCIAL, tree["prov"])
    assert exc.value.message_dict["parent"] == [str(errors.UNION_PROVINCIAL_PARENT)]


@pytest.mark.django_db
def test_moving_a_grassroots_union_to_another_department_works_and_is_logged(tree):
    from core.models import Event

    union_move(actor=None, union=tree["a2"], parent=tree["dept_b"])
    assert set(union_descendants(union=tree["dept_b"]).values_list("id", flat=True)) == {
        tree["b1"].pk,
        tree["a2"].pk,
    }
    assert Event.objects.filter(verb="union_moved", subject_id=str(tree["a2"].pk)).exists()


@pytest.mark.django_db
def test_unknown_time_zone_is_refused(tree):
    union = tree["a1"]
    union.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError) as exc:
        union.full_clean()
    assert "time_zone" in exc.value.message_dict
