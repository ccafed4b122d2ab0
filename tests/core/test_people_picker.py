"""The people picker (issue 25, "Pick people, not usernames"): one search over names, pinyin and pinyin
initials within the people each action allows, at most 20 answers in a fixed number of queries, the
search endpoint refusing whoever may not act, forms that take only allowed people (and, without
JavaScript, the one person typed), mentions shown by name, and no username on any of these pages."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from core import errors
from core.demo import seed_demo
from core.models import Event, Role, User
from core.people import PeopleScope, people_search
from tests.factories import PASSWORD, UserFactory, give_seat, seated
from tests.pages import content, shown
from tests.scenarios import answer_all, consolidate, open_items
from workflows.models import Comment, CopyTo, Delegation, WorkItem, WorkItemState

SEARCH = "people_search"


def search(client, action: str, ref, q: str = "", name: str = "who", **extra):
    params = {"for": action, "ref": str(ref), "name": name, f"{name}_q": q, **extra}
    return client.get(reverse(SEARCH), params)


def offered(response) -> set[int]:
    """The people ids a search answer offers (its radio buttons or check boxes)."""
    return {
        int(v) for v in re.findall(r'type="(?:radio|checkbox)" name="[^"]+" value="(\d+)"', content(response))
    }


@pytest.fixture
def zhong(cast):
    """钟红艳, a recorder of a1's fund audit committee (its secretary)."""
    return seated(cast.union, Role.SECRETARY, "audit_committee", username="a1-zhong", full_name="钟红艳")


@pytest.fixture
def stranger(tree):
    """钟华, chair of b1 (another department): a name that "zh" also finds, never offered to a1's actions."""
    return seated(tree["b1"], Role.SECRETARY, "audit_committee", username="b1-zhong", full_name="钟华")


@pytest.fixture
def at_audit(cast, submitted_budget):
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    (item,) = open_items(budget)
    assert item.step == "audit_review"
    return budget, item


# --- the search keys and the search --------------------------------------------------------------------


@pytest.mark.django_db
def test_search_keys_follow_the_name_and_the_migration_fills_them():
    person = UserFactory(full_name="钟红艳")
    assert (person.name_pinyin, person.name_initials) == ("zhonghongyan", "zhy")
    person.full_name = "曾伟"  # a surname read as a surname: zeng, not ceng
    person.save(update_fields=["full_name"])
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_initials) == ("zengwei", "zw")
    person.save(update_fields=["last_login"])  # another field alone leaves the keys be
    User.objects.filter(pk=person.pk).update(name_pinyin="", name_initials="")
    importlib.import_module("core.migrations.0010_user_name_search_keys").fill_keys(apps, None)
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_initials) == ("zengwei", "zw")


@pytest.mark.django_db
def test_the_bench_dataset_gets_the_search_keys_once_per_name():
    """bench/generate.py fills the keys its COPY leaves at "" (the picker would find nobody at scale)."""
    from django.db import connection

    from bench.generate import fill_search_keys

    people = [UserFactory(full_name=name) for name in ("钟红艳", "钟红艳", "曾伟", "")]
    User.objects.filter(pk__in=[p.pk for p in people]).update(name_pinyin="", name_initials="")
    connection.ensure_connection()
    assert fill_search_keys(connection.connection) == (3, 2)  # three people, two distinct names
    keys = dict(User.objects.filter(pk__in=[p.pk for p in people]).values_list("pk", "name_initials"))
    assert [keys[p.pk] for p in people] == ["zhy", "zhy", "zw", ""]
    assert User.objects.get(pk=people[2].pk).name_pinyin == "zengwei"
    assert fill_search_keys(connection.connection) == (0, 0)  # nothing left to fill
    scope = PeopleScope(allowed=User.objects.filter(pk__in=[p.pk for p in people]))
    assert {row.person for row in people_search(q="zhy", scope=scope)} == set(people[:2])


@pytest.mark.django_db
def test_zhy_and_zhong_find_zhong_hongyan_and_never_an_outsider(cast, zhong, stranger):
    scope = PeopleScope(allowed=User.objects.filter(seats__union=cast.union).distinct())
    for q in ("zhy", "zhong", "ZHONG hong", "hongyan", "钟红艳", "红艳"):
        assert [row.person for row in people_search(q=q, scope=scope)] == [zhong], q
    (row,) = people_search(q="zh", scope=scope)  # 钟华 of b1 matches too, but is not allowed here
    with translation.override(settings.LANGUAGE_CODE):
        assert (row.name, row.union, row.role) == ("钟红艳", cast.union.name, "经费审查委员会书记")
    assert people_search(q="zhh", scope=scope) == []


@pytest.mark.django_db
def test_the_demo_has_zhong_hongyan_the_office_staff_of_fin_office():
    seed_demo()
    person = User.objects.get(username="fin-office-office")
    everyone = PeopleScope(allowed=User.objects.all())
    for q in ("zhy", "zhong"):
        assert person in [row.person for row in people_search(q=q, scope=everyone)]
    assert person.full_name == "钟红艳"


@pytest.mark.django_db
def test_at_most_20_people_in_two_queries(cast, django_assert_num_queries):
    password = make_password(PASSWORD)
    for n in range(30):
        give_seat(
            User.objects.create(username=f"many{n}", full_name=f"测试{n:02d}", password=password),
            cast.union,
            Role.REPRESENTATIVE,
            "congress",
        )
    scope = PeopleScope(allowed=User.objects.filter(seats__union=cast.union).distinct())
    with django_assert_num_queries(2):
        rows = people_search(q="cs", scope=scope)
    assert len(rows) == 20 and all(row.union == cast.union.name for row in rows)
    assert [row.name for row in rows] == sorted(row.name for row in rows)


# --- the endpoint ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_transfer_search_offers_the_bodys_other_recorders_only(
    cast, at_audit, zhong, stranger, client, django_assert_max_num_queries
):
    _, item = at_audit
    client.force_login(cast.audit_director)
    everyone = offered(search(client, "transfer", item.pk))
    assert everyone == {zhong.pk, cast.office.pk}  # not the director (the viewer), not a plain member
    with django_assert_max_num_queries(8):
        response = search(client, "transfer", item.pk, "zhy")
    assert response.status_code == 200 and offered(response) == {zhong.pk}
    assert "钟红艳" in content(response) and "a1-zhong" not in content(response)
    assert offered(search(client, "transfer", item.pk, "zh")) == {zhong.pk}


@pytest.mark.django_db
def test_an_outsider_or_a_viewer_who_may_not_act_is_refused_and_logged(
    cast, tree, at_audit, supervisor_of, client
):
    budget, item = at_audit
    client.force_login(cast.outsider)
    for action, ref in [
        ("transfer", item.pk),
        ("signer", item.pk),
        ("copy", f"budget:{budget.pk}"),
        ("mention", f"budget:{budget.pk}"),
        ("reassign", item.pk),
        ("transfer", "999999"),
        ("copy", "budget:x"),
    ]:
        assert search(client, action, ref, "zh").status_code in (403, 404), action
    assert Event.objects.filter(verb="access_denied", actor=cast.outsider).count() == 7
    # a supervisor above sees the budget, may not act on its step
    client.force_login(supervisor_of(tree["dept_a"]))
    assert search(client, "transfer", item.pk).status_code == 403
    assert search(client, "mention", f"budget:{budget.pk}").status_code == 200
    # an unknown picker or field name
    assert search(client, "nonsense", item.pk).status_code == 404
    assert search(client, "transfer", item.pk, name="<b>").status_code == 404


@pytest.mark.django_db
def test_each_picker_offers_its_actions_circle(cast, tree, at_audit, zhong, stranger, client):
    budget, item = at_audit
    client.force_login(cast.audit_director)
    signers = offered(search(client, "signer", item.pk))
    assert cast.chair.pk in signers and zhong.pk in signers and cast.outsider.pk not in signers
    assert cast.audit_director.pk not in signers and len(signers) <= 20
    client.force_login(cast.office)
    copy = offered(search(client, "copy", f"budget:{budget.pk}", "csry"))  # 测试人员…
    assert cast.group_leader.pk in copy and cast.outsider.pk not in copy and cast.office.pk not in copy
    mention = offered(search(client, "mention", f"budget:{budget.pk}", "zh", multiple="1"))
    assert mention == {zhong.pk}
    delegate = offered(search(client, "delegate", "", "zh"))
    assert delegate == {zhong.pk}


@pytest.mark.django_db
def test_every_pickers_search_costs_a_bounded_number_of_queries(
    cast, at_audit, zhong, client, django_assert_max_num_queries
):
    """The session (2), the action's own check of the viewer (at most 4), the search (2)."""
    from workflows.plan.services import plan_create

    budget, item = at_audit
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    for user, action, ref in [
        (cast.audit_director, "transfer", item.pk),
        (cast.audit_director, "signer", item.pk),
        (cast.office, "copy", f"budget:{budget.pk}"),
        (cast.office, "mention", f"budget:{budget.pk}"),
        (cast.office, "delegate", ""),
        (cast.office, "plan_owner", plan.pk),
        (cast.chair, "reassign", item.pk),
    ]:
        client.force_login(user)
        search(client, action, ref, "zh")  # the first request of a session reads its caches
        with django_assert_max_num_queries(8):
            response = search(client, action, ref, "zh")
        assert response.status_code == 200 and zhong.pk in offered(response), action


# --- forms: only allowed people, without JavaScript the one typed ----------------------------------------


@pytest.mark.django_db
def test_a_person_not_allowed_is_refused_in_chinese_and_the_note_kept(cast, at_audit, stranger, client):
    budget, item = at_audit
    client.force_login(cast.audit_director)
    url = reverse("workflows:transfer", args=[item.pk])
    response = client.post(url, {"to": stranger.pk, "note": "请<尽快>"})
    assert response.status_code == 400
    html = content(response)
    assert shown(errors.PERSON_NOT_ALLOWED) in html and "请&lt;尽快&gt;" in html
    assert "钟华" not in html  # a forged id does not reveal who it is
    assert Event.objects.filter(verb="action_refused", actor=cast.audit_director).exists()
    item.refresh_from_db()
    assert item.assignee is None and item.note == ""


@pytest.mark.django_db
def test_without_javascript_the_one_person_typed_is_taken(cast, at_audit, zhong, client):
    _, item = at_audit
    client.force_login(cast.audit_director)
    url = reverse("workflows:add_signer", args=[item.pk])
    # several people of the union are 测试人员…: they are listed to choose from, the note kept
    response = client.post(url, {"signer": "", "signer_q": "csry", "note": "请看"})
    assert response.status_code == 400
    several = content(response)
    assert shown(errors.PERSON_SEVERAL_MATCH, value="csry") in several and "请看" in several
    assert cast.chair.pk in offered(response)
    response = client.post(url, {"signer": "", "signer_q": "nobody", "note": "请看"})
    assert response.status_code == 400 and shown(errors.PERSON_NO_MATCH, value="nobody") in content(response)
    response = client.post(url, {"signer": "", "signer_q": "zhy", "note": "请看"})
    assert response.status_code == 302
    assert WorkItem.objects.get(parent=item, state=WorkItemState.OPEN).assignee == zhong


@pytest.mark.django_db
def test_copy_to_several_people_and_an_outsider_refused(cast, at_audit, zhong, stranger, client):
    budget, _ = at_audit
    client.force_login(cast.office)
    url = reverse("workflows:copy_to", args=["budget", budget.pk])
    response = client.post(url, {"people": [cast.chair.pk, stranger.pk]})
    assert response.status_code == 400 and shown(errors.PERSON_NOT_ALLOWED) in content(response)
    assert not CopyTo.objects.exists()
    response = client.post(url, {"people": [cast.chair.pk], "people_q": "钟红艳"})
    assert response.status_code == 302
    assert set(CopyTo.objects.values_list("person", flat=True)) == {cast.chair.pk, zhong.pk}


@pytest.mark.django_db
def test_mentions_are_chosen_people_shown_by_name(cast, at_audit, zhong, stranger, client):
    budget, _ = at_audit
    client.force_login(cast.office)
    url = reverse("workflows:comment", args=["budget", budget.pk])
    response = client.post(url, {"text": "请审阅", "mentions": [zhong.pk, stranger.pk]})
    assert response.status_code == 400 and "请审阅" in content(response)
    assert not Comment.objects.exists()
    response = client.post(url, {"text": "请审阅", "mentions": [zhong.pk, cast.chair.pk]})
    assert response.status_code == 302 and not list(get_messages(response.wsgi_request))[1:]
    comment = Comment.objects.get()
    assert set(comment.mentions.all()) == {zhong, cast.chair}
    page = content(client.get(reverse("budget:detail", args=[budget.pk])))
    assert "@钟红艳" in page and f"@{cast.chair.full_name}" in page and "a1-zhong" not in page


@pytest.mark.django_db
def test_old_mentions_by_username_become_names():
    migration = importlib.import_module("workflows.migrations.0013_comment_mentions")
    assert migration.MENTION.findall("@a1-chair 请看 @b1-chair") == ["a1-chair", "b1-chair"]


@pytest.mark.django_db
def test_delegation_takes_a_colleague_of_my_unions_only(cast, zhong, stranger, client):
    client.force_login(cast.chair)
    data = {"starts_on": "2099-01-01", "ends_on": "2099-01-05", "note": "出差"}
    response = client.post(reverse("delegations"), {**data, "substitute": stranger.pk})
    assert response.status_code == 400 and shown(errors.PERSON_NOT_ALLOWED) in content(response)
    assert "出差" in content(response) and "钟华" not in content(response)
    response = client.post(reverse("delegations"), {**data, "substitute_q": "zhong"})
    assert response.status_code == 302 and Delegation.objects.get().substitute == zhong


@pytest.mark.django_db
def test_plan_task_owners_are_people_of_the_plans_union(cast, zhong, stranger, client):
    from workflows.plan.models import PlanItem
    from workflows.plan.services import plan_create

    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    client.force_login(cast.office)  # the drafter
    assert offered(search(client, "plan_owner", plan.pk, "zh", name="ideology-0-owner")) == {zhong.pk}
    row = {
        "ideology-0-title": "理论学习",
        "ideology-0-starts_on": "2027-03-01",
        "ideology-0-ends_on": "2027-06-30",
    }
    edit = reverse("plan:edit", args=[plan.pk])
    response = client.post(edit, {**row, "ideology-0-owner": stranger.pk})
    assert response.status_code == 400 and shown(errors.PERSON_NOT_ALLOWED) in content(response)
    assert 'value="理论学习"' in content(response) and not PlanItem.objects.exists()
    response = client.post(edit, {**row, "ideology-0-owner_q": "zhy"})
    assert response.status_code == 302 and PlanItem.objects.get().owner == zhong
    page = content(client.get(edit))
    assert f'value="{zhong.pk}" checked' in page and "钟红艳" in page
    # only the drafter at the drafting step searches; an officer may not, an outsider sees nothing
    client.force_login(cast.chair)
    assert search(client, "plan_owner", plan.pk, "zh", name="ideology-0-owner").status_code == 403
    client.force_login(cast.outsider)
    assert search(client, "plan_owner", plan.pk, "zh", name="ideology-0-owner").status_code == 404


# --- no username on screen ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_username_on_the_pickers_pages(cast, at_audit, zhong, client):
    budget, item = at_audit
    pages = {
        cast.audit_director: [
            reverse("workflows:transfer", args=[item.pk]),
            reverse("workflows:add_signer", args=[item.pk]),
            reverse("budget:detail", args=[budget.pk]),
        ],
        cast.office: [
            reverse("workflows:copy_to", args=["budget", budget.pk]),
            reverse("workflows:comment", args=["budget", budget.pk]),
            reverse("delegations"),
        ],
        cast.chair: [reverse("oversight:reassign", args=[item.pk])],
    }
    usernames = list(User.objects.values_list("username", flat=True))
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = content(response)
            assert "data-person-picker" in html or url.endswith(f"/{budget.pk}/"), url
            assert not [u for u in usernames if re.search(rf"(?<![\w-]){re.escape(u)}(?![\w-])", html)], url


# --- a phone ----------------------------------------------------------------------------------------------


@pytest.fixture
def phone_setup(transactional_db):
    """What the browser needs, read before Playwright's event loop starts."""
    from tests.factories import Cast, ensure_chart_of_accounts, make_budget, make_tree
    from tests.scenarios import submit_draft
    from workflows.services.drafting import Recipient

    ensure_chart_of_accounts()
    cast = Cast(make_tree())
    zhong = seated(cast.union, Role.SECRETARY, "audit_committee", username="a1-zhong", full_name="钟红艳")
    budget = submit_draft(make_budget(cast), cast, [Recipient(cast.representatives[0])])
    answer_all(budget, cast)
    consolidate(budget, cast)
    (item,) = open_items(budget)
    return {"item": item.pk, "zhong": zhong.pk}


def test_picking_zhy_on_a_375px_phone_transfers_the_task(live_server, phone_setup, new_page):
    from tests.e2e.session import sign_in

    page = new_page(viewport={"width": 375, "height": 740}, mobile=True)
    sign_in(page, live_server.url, "a1-audit")
    page.goto(f"{live_server.url}/work/{phone_setup['item']}/transfer/")
    page.fill("#id_to", "zhy")
    option = page.get_by_test_id("results-to").get_by_text("钟红艳")
    option.click()
    assert page.get_by_test_id("chosen-to").inner_text().startswith("钟红艳")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/budgets/*/")
    assert "钟红艳" in page.content()
