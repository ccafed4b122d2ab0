"""S5.3 档案管理: the archive searched in Chinese (jieba's words in a tsvector), filtered and paged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.archive.helpers import record
from workflows.archive.models import Category
from workflows.archive.selectors import PAGE_SIZE, Filters, search

pytestmark = pytest.mark.django_db


def _titles(union, **filters) -> set[str]:
    return {r.title for r in search(union=union, filters=Filters(**filters))}


@pytest.fixture
def shelf(tree):
    a1 = tree["a1"]
    record(a1, title="2026年度工会经费预算", number="工会〔2026〕3号", category=Category.BUDGET_ACCOUNTS)
    record(
        a1,
        title="工会委员会会议纪要",
        year=2025,
        category=Category.MEETINGS,
        text="研究职工书屋建设和预算执行",
    )
    record(a1, title="年度工作总结", year=2025, text="全年开展劳动竞赛七次")
    record(tree["b1"], title="2026年度工会经费预算")  # another union's
    return a1


def test_s5_3_two_character_words_are_found(shelf):
    assert _titles(shelf, q="预算") == {"2026年度工会经费预算", "工会委员会会议纪要"}
    assert _titles(shelf, q="工会") == {"2026年度工会经费预算", "工会委员会会议纪要"}
    assert _titles(shelf, q="竞赛") == {"年度工作总结"}  # the full text, not only the title
    assert _titles(shelf, q="福利") == set()


def test_s5_3_words_match_in_any_order(shelf):
    assert _titles(shelf, q="预算 工会") == _titles(shelf, q="工会预算") == _titles(shelf, q="预算，工会")
    assert _titles(shelf, q="经费预算") == {"2026年度工会经费预算"}
    assert _titles(shelf, q="书屋 职工 建设") == {"工会委员会会议纪要"}


def test_s5_3_filters_title_number_year_category(shelf):
    assert _titles(shelf, title="预算") == {"2026年度工会经费预算"}  # not the minutes whose text has it
    assert _titles(shelf, number="工会〔2026〕") == {"2026年度工会经费预算"}  # from its start
    assert _titles(shelf, number="3号") == {"2026年度工会经费预算"}  # or a part of it
    assert _titles(shelf, year=2025) == {"工会委员会会议纪要", "年度工作总结"}
    assert _titles(shelf, year=2025, category=Category.MEETINGS) == {"工会委员会会议纪要"}
    assert _titles(shelf, q="预算", year=2026) == {"2026年度工会经费预算"}


def test_s5_3_the_page_searches_and_pages_in_constant_queries(client, cast, tree):
    url = reverse("archive:search", args=[cast.union.pk])
    client.force_login(cast.chair)
    client.get(url)  # the session's first request writes what later ones only read
    counts = []
    for total in (3, PAGE_SIZE + 5):
        while len(list(search(union=cast.union, filters=Filters()))) < total:
            record(cast.union, title=f"工会会议纪要{total}", year=2026)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, {"q": "工会"})
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10
    assert len(page.context["records"]) == PAGE_SIZE and page.context["next_query"]
    second = client.get(url + "?" + page.context["next_query"])
    assert len(second.context["records"]) == 5 and not second.context["next_query"]
    assert "工会会议纪要" in page.content.decode()
