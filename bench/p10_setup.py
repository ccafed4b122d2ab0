"""P10's archive (S5.3): a million archive records written with COPY, their search tokens generated
directly from a word list (never through jieba: segmenting a million texts would take longer than the
benchmark), kept between runs.

Shape: the records are spread over the dataset's unions with a Zipf-like skew (union of rank r gets a
share ∝ 1/r), so the largest union holds about an eighth of them — a province-sized archive — and the
smallest a few dozen. Each record has a title from a pattern (year, a domain word, a kind of document),
a document number like 机工〔2019〕37号 on a third of them, a year 2000–2027, a category, and 20–60
text words drawn Zipf-like from the vocabulary (domain words first, then two-character fillers), so a
query word is common (工会), middling (书屋) or rare. The tsvector is written as PostgreSQL's text form
('工会':1A …), exactly what to_tsvector('simple', …) of the same space-separated words stores.

Rows are marked ``document_type = 'p10'`` (``source = 'document'``, ``document_id`` = sequence), so a run
finds them and a different count rebuilds them. The archive's indexes are dropped before COPY and made
again afterwards (models.ArchiveRecord.Meta.indexes), then ANALYZE.
"""

from __future__ import annotations

import datetime
import random
import time

from bench.measure import log

MARK = "p10"
SEED = 34
CHUNK = 20_000

# domain words jieba keeps whole (checked in prepare: a word it would cut is left out of the queries)
DOMAIN = (
    "工会 预算 经费 会议 决议 委员会 职工 会员 代表 大会 年度 计划 总结 报告 审查 审计 批复 请示 支出 收入 "
    "决算 调整 执行 制度 章程 党组织 主席 女职工 慰问 困难 帮扶 书屋 文体 活动 培训 竞赛 劳动 模范 之家 "
    "满意度 测评 换届 选举 财务 凭证 报销 采购 福利 节日 春节 中秋 工作 部署 落实 监督 公开 事务 意见 "
    "建议 征求 研究 讨论 通过 同意 退回 修改 审议 批准 执行 情况 分析 半年 季度 岗位 技能 创新 服务 维权 "
    "教育 宣传 学习 座谈 走访 联系 群众 基层 机关 单位 处室 中心 办公室 财政厅 教育厅 考试院"
).split()
KINDS = (
    "工作计划",
    "工作总结",
    "经费预算",
    "决算报告",
    "会议纪要",
    "请示",
    "批复",
    "工作报告",
    "实施方案",
    "通知",
)
ORGAN_CODES = ("机工", "工字", "财工", "教工", "机党")


def vocabulary(rng: random.Random) -> list[str]:
    """The domain words, then 3,000 two-character fillers (a long tail no query asks for)."""
    chars = "安邦保北本边步才采参层产长常场厂车成城程持充出初储传创春纯词次从村达大代单当导道德地点电调定东动"
    fillers = {rng.choice(chars) + rng.choice(chars) for _ in range(6000)}
    return list(dict.fromkeys(DOMAIN + sorted(fillers)))[: len(DOMAIN) + 3000]


def _zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (rank + 1) ** s for rank in range(n)]


def _literal(words: list[str], weight: str, start: int) -> list[str]:
    return [f"'{word}':{start + i}{weight}" for i, word in enumerate(words)]


class Words:
    """The tokens of each distinct title, number and vocabulary word, cut once (the segmenter sees the
    word list and the title patterns — about 40,000 short strings — never the million records)."""

    def __init__(self):
        from workflows.archive.segment import record_tokens

        self.cut = record_tokens
        self.known: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        found = self.known.get(text)
        if found is None:
            found = self.known[text] = self.cut(text).lower().split()
        return found


def _row(seq: int, union_id: int, rng: random.Random, words: list[str], cum: list[float], seg: Words) -> str:
    year = rng.randint(2000, 2027)
    subject = rng.choices(words[: len(DOMAIN)], cum_weights=cum[: len(DOMAIN)])[0]
    title = f"{year}年度{subject}{rng.choice(KINDS)}"
    number, number_words = "", []
    if rng.random() < 0.34:
        number = f"{rng.choice(ORGAN_CODES)}〔{year}〕{rng.randint(1, 80)}号"
        number_words = seg(number)
    text_words = [t for w in rng.choices(words, cum_weights=cum, k=rng.randint(20, 60)) for t in seg(w)]
    lexemes = _literal(seg(title), "A", 1) + _literal(number_words, "B", 20)
    lexemes += _literal(text_words, "", 40)
    category = CATEGORIES[seq % len(CATEGORIES)]
    retention = RETENTION.get(category, "permanent")
    ends = "\\N" if retention == "permanent" else f"{year + int(retention)}-12-31"
    filed = f"{min(year + 1, 2027)}-01-15 09:00:00+08"
    values = [str(union_id), category, str(year), title, number, "document", MARK, str(seq), "\\N", "", ""]
    return "\t".join([*values, retention, ends, filed, " ".join(lexemes)])


CATEGORIES = (
    "meetings",
    "plans_reports",
    "budget_accounts",
    "finance_records",
    "institutions",
    "party",
    "other",
)
RETENTION = {"finance_records": "30", "institutions": "30", "party": "30", "other": "10"}
COLUMNS = (
    "union_id, category, year, title, number, source, document_type, document_id, source_id, file, "
    "file_name, retention, retention_ends_on, filed_at, search_vector"
)


def _indexes():
    from workflows.archive.models import ArchiveRecord

    return ArchiveRecord, list(ArchiveRecord._meta.indexes)


def _copy(rows: int, union_ids: list[int]) -> None:
    from django.db import connection

    rng = random.Random(SEED)
    words = vocabulary(rng)
    word_cum, total = [], 0.0
    for w in _zipf_weights(len(words)):
        total += w
        word_cum.append(total)
    union_cum, total = [], 0.0
    for w in _zipf_weights(len(union_ids)):
        total += w
        union_cum.append(total)
    owners = rng.choices(union_ids, cum_weights=union_cum, k=rows)
    seg = Words()
    with connection.cursor() as cursor:
        for start in range(0, rows, CHUNK):
            lines = [
                _row(seq, owners[seq], rng, words, word_cum, seg)
                for seq in range(start, min(rows, start + CHUNK))
            ]
            with cursor.cursor.copy(f"COPY archive_archiverecord ({COLUMNS}) FROM STDIN") as copy:
                copy.write("\n".join(lines) + "\n")
            if start % 200_000 == 0:
                log(f"  P10: {start + len(lines):,} of {rows:,} records")


def prepare(rows: int) -> tuple[int, float]:
    """Make sure the archive holds ``rows`` generated records; (rows, seconds spent building, 0 if kept)."""
    from django.db import connection, transaction

    from core.models import Union

    model, indexes = _indexes()
    have = model.objects.filter(document_type=MARK).count()
    if have == rows:
        log(f"  P10: {rows:,} archive records already generated")
        return rows, 0.0
    started = time.perf_counter()
    union_ids = list(Union.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            # Django's foreign keys are deferred: checked row by row instead, so that no trigger event is
            # pending when the indexes are made in the same transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("DELETE FROM archive_archiverecord WHERE document_type = %s", [MARK])
        with connection.schema_editor(atomic=False) as editor:
            for index in indexes:
                editor.remove_index(model, index)
        _copy(rows, union_ids)
        log(f"  P10: copied in {time.perf_counter() - started:.0f} s; indexing")
        with connection.schema_editor(atomic=False) as editor:
            for index in indexes:
                editor.add_index(model, index)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE archive_archiverecord")
    seconds = time.perf_counter() - started
    log(f"  P10: {rows:,} archive records generated and indexed in {seconds:.0f} s ({datetime.date.today()})")
    return rows, seconds


def samples(rng: random.Random) -> dict[str, int]:
    """The unions measured: the largest archive, one of middle size, a small one (rank 1, 30, 500)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT union_id, count(*) FROM archive_archiverecord WHERE document_type = %s "
            "GROUP BY union_id ORDER BY count(*) DESC, union_id",
            [MARK],
        )
        ranked = cursor.fetchall()
    picks = {"largest": 0, "rank 30": 29, "rank 500": 499}
    return {
        f"{name} ({ranked[i][1]:,} records)": ranked[i][0] for name, i in picks.items() if i < len(ranked)
    }
