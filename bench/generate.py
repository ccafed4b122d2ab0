#!/usr/bin/env python
"""Build the scale dataset of issue 10 on PostgreSQL (see bench/dataset.py for its shape).

    python bench/generate.py --scale full|small|tiny [--database-url postgres://…] [--fresh]

Creates the database when it does not exist, migrates it, loads it with COPY and prints the time of
each phase, the COPY time of each table and the final row counts. A database whose tables already
hold unions is refused unless ``--fresh`` (drop and create it again; only for names starting with
``wuyi_bench`` or ``wuyi_h10``). The scale is recorded in a one-row table ``bench_dataset`` that
bench/run.py reads.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/wuyi_bench"
DROPPABLE_PREFIXES = ("wuyi_bench", "wuyi_h10")


def log(message: str) -> None:
    print(message, flush=True)


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def maintenance_url(url: str) -> str:
    return urlparse(url)._replace(path="/postgres").geturl()


def psycopg_url(url: str) -> str:
    parsed = urlparse(url)
    return parsed._replace(scheme="postgresql").geturl()


def database_exists(url: str) -> bool:
    import psycopg

    with psycopg.connect(psycopg_url(maintenance_url(url)), autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]).fetchone()
    return row is not None


def create_database(url: str, *, fresh: bool) -> None:
    import psycopg
    from psycopg import sql

    name = database_name(url)
    with psycopg.connect(psycopg_url(maintenance_url(url)), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            if not name.startswith(DROPPABLE_PREFIXES):
                raise SystemExit(
                    f"refusing to drop database {name!r}: only {DROPPABLE_PREFIXES} may be dropped"
                )
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid()",
                [name],
            )
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def recorded_scale(url: str) -> str | None:
    """The scale a previous generate.py run recorded in this database, if any."""
    import psycopg

    if not database_exists(url):
        return None
    with psycopg.connect(psycopg_url(url), autocommit=True) as conn:
        row = conn.execute("SELECT to_regclass('bench_dataset')").fetchone()
        if row[0] is None:
            return None
        row = conn.execute("SELECT scale FROM bench_dataset ORDER BY created DESC LIMIT 1").fetchone()
    return row[0] if row else None


def fill_search_keys(conn) -> tuple[int, int]:
    """The people picker's search keys (User.name_pinyin, name_initials; issue 25). bench/dataset.py's
    COPY leaves them at their database default "", where the picker finds nobody: compute them as
    User.save() does (core.pinyin), once per distinct name — names repeat (a few dozen surnames and
    given-name characters) — and set them in one UPDATE joining the names. Returns (people, names)."""
    from core.pinyin import name_search_keys

    with conn.cursor() as cur:
        cur.execute("SELECT DISTINCT full_name FROM core_user WHERE full_name <> '' AND name_pinyin = ''")
        names = [row[0] for row in cur.fetchall()]
        if not names:
            return 0, 0
        keys = [name_search_keys(name) for name in names]
        cur.execute(
            "UPDATE core_user u SET name_pinyin = k.pinyin, name_initials = k.initials "
            "FROM unnest(%s::text[], %s::text[], %s::text[]) AS k(name, pinyin, initials) "
            "WHERE u.full_name = k.name AND u.name_pinyin = ''",
            [names, [pinyin for pinyin, _ in keys], [initials for _, initials in keys]],
        )
        filled = cur.rowcount
        cur.execute("ANALYZE core_user")  # dataset.generate analysed the table before the keys were set
    return filled, len(names)


def build(scale_name: str, url: str, *, fresh: bool, seed: int = 10, shards: int | None = None) -> dict:
    """Create, migrate and load the database. Returns the final row counts."""
    import psycopg

    create_database(url, fresh=fresh)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset

    scale = dataset.SCALES[scale_name]
    started = time.perf_counter()
    log(f"migrating {database_name(url)} …")
    call_command("migrate", verbosity=0, interactive=False)
    log(f"  migrated: {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_union")
        if cursor.fetchone()[0]:
            raise SystemExit(f"{database_name(url)} already holds unions: use --fresh to rebuild it")

    def connect():
        return psycopg.connect(psycopg_url(url), options="-c synchronous_commit=off")

    own = connect()
    load_started = time.perf_counter()
    log(f"loading scale {scale.name} ({scale.processes:,} processes, {scale.users:,} users) …")
    report = dataset.generate(
        scale=scale,
        seed=seed,
        conn=own,
        threaded=True,
        shards=shards or scale.shards,
        connect=connect,
        log=log,
    )
    keys_started = time.perf_counter()
    filled, names = fill_search_keys(own)
    log(f"  search keys of {filled:,} people ({names:,} names): {time.perf_counter() - keys_started:.1f} s")
    own.commit()
    load_seconds = time.perf_counter() - load_started
    with own.cursor() as cur:
        counts = dataset.summary(cur)
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset (scale text, seed int, created timestamptz, "
            "seconds double precision, counts jsonb)"
        )
        import json

        cur.execute(
            "INSERT INTO bench_dataset VALUES (%s, %s, now(), %s, %s)",
            [scale.name, seed, load_seconds, json.dumps(counts)],
        )
    own.commit()
    own.close()
    log("")
    log("COPY time per table (seconds, summed over shards):")
    for table, seconds in sorted(report.seconds.items(), key=lambda item: -item[1]):
        log(f"  {table:36} {report.counts.get(table, 0):>12,} rows {seconds:8.1f} s")
    log("")
    log("rows:")
    for table, n in counts.items():
        log(f"  {table:40} {n:>12,}")
    log(f"loaded in {load_seconds:.1f} s (after migrations); total {time.perf_counter() - started:.1f} s")
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["full", "small", "tiny"], default="small")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--shards", type=int, default=None, help="parallel loader processes")
    args = parser.parse_args(argv)
    build(args.scale, args.database_url, fresh=args.fresh, seed=args.seed, shards=args.shards)


if __name__ == "__main__":
    main()
