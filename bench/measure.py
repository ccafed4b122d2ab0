"""What the figures of bench/run.py and bench/p6.py share: the run's settings, statistics, query records.

BENCH_SCALE, BENCH_REPEAT   see bench/run.py
BENCH_TRACE=1|viewflow      recorded queries carry the Wuyi code that issued them (=viewflow: its
                            frames too)
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCALE = os.environ.get("BENCH_SCALE", "small")
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))


def log(message: str = "") -> None:
    print(message, flush=True)


# --- statistics ---------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def spread(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p25": pct(values, 0.25),
        "p75": pct(values, 0.75),
        "p95": pct(values, 0.95),
        "min": min(values),
        "max": max(values),
    }


def fmt_spread(s: dict, unit: str = "ms") -> str:
    return f"{s['median']:.2f} {unit} (IQR {s['p25']:.2f}–{s['p75']:.2f}, n={s['n']})"


# --- query records --------------------------------------------------------------------------------


@contextmanager
def recording():
    """Every query through the connection with its own duration (Django's capture rounds to 1 ms)."""
    from django.db import connection

    captured: list[dict] = []

    trace = bool(os.environ.get("BENCH_TRACE"))

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = {"sql": sql, "time": time.perf_counter() - started, "engine": _in_viewflow()}
            if trace:
                entry["where"] = query_origin()
            captured.append(entry)

    with connection.execute_wrapper(wrapper):
        yield captured


def _in_viewflow() -> bool:
    """Whether viewflow's own code issued the query: the innermost frame that is viewflow's or Wuyi's
    (Django's ORM frames skipped) is viewflow's. A query of a Wuyi callback that viewflow calls (a
    task's onCreate hook, a gate's condition) is Wuyi's."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if "/viewflow/" in filename:
            return True
        if filename.startswith(str(ROOT)) and "/.venv/" not in filename and "/bench/" not in filename:
            return False
        frame = frame.f_back
    return False


def query_origin() -> str:
    """The innermost frames of Wuyi's own code that issued a query (BENCH_TRACE=1)."""
    import traceback

    engine = os.environ.get("BENCH_TRACE") == "viewflow"  # name viewflow's frames too
    frames = []
    for f in traceback.extract_stack()[:-3]:
        if not f.filename.startswith(str(ROOT)) or "/bench/" in f.filename:
            continue
        if "/.venv/" in f.filename:
            if not (engine and "/viewflow/" in f.filename):
                continue
            frames.append(f"viewflow/{f.filename.split('/viewflow/', 1)[1]}:{f.lineno} {f.name}")
        else:
            frames.append(f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}")
    return " < ".join(reversed(frames[-(4 if engine else 3) :]))


def normalise(sql: str) -> str:
    sql = sql.replace("%s", "?")
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\((?:\s*\?\s*,)+\s*\?\s*\)", "(?, …)", sql)
    sql = re.sub(r"\"", "", sql)
    return sql


def query_profile(captured: list[dict]) -> list[tuple[int, float, str]]:
    """(count, total ms, normalised SQL) per query shape, most frequent first."""
    shapes: dict[str, list[float]] = {}
    for q in captured:
        shapes.setdefault(normalise(q["sql"]), []).append(float(q.get("time") or 0) * 1000)
    return sorted(((len(v), sum(v), k) for k, v in shapes.items()), key=lambda r: (-r[0], -r[1]))


def write_profile(name: str, sections: list[tuple[str, list[dict]]]) -> None:
    lines = [f"-- {name} (scale {SCALE}): queries by shape (count, ms in the database, parameters as ?)"]
    for title, captured in sections:
        total = sum(float(q.get("time") or 0) * 1000 for q in captured)
        lines.append(f"\n== {title}: {len(captured)} queries, {total:.1f} ms in the database")
        for count, ms, sql in query_profile(captured):
            lines.append(f"{count:5d} {ms:8.2f} ms  {sql[:400]}")
        if any("where" in q for q in captured):
            lines.append("   -- in order, with the code that issued each:")
            for q in captured:
                lines.append(f"   {normalise(q['sql'])[:90]:<90}  {q.get('where', '')}")
    (RESULTS / f"profile-{name}-{SCALE}.txt").write_text("\n".join(lines) + "\n")
    log(f"  profile-{name}-{SCALE}.txt written")
