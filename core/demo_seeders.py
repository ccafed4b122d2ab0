"""The demo data's seeders, in order. Each app's ``demo.py`` registers its own when ``seed_demo``
imports the apps' demo modules (``autodiscover_modules``, as the admin finds ``admin.py``): core never
names the apps above it, and no demo code is loaded by the web or the workers.

The order, each step building on the earlier ones: 10 the union tree and its people (core), 11 their
welcome notifications, 20 budgets, 30 the statutory calendar, 31 work-item reminders due in minutes,
32 obligation reminders, 40 plans, 50 reports, 60 final accounts, 70 budget adjustments, 80 execution
analyses, 85 expenditure requests, 86 the roster, 87 training, 88 the Party organisation, 90 oversight's
history, 91 dues, 92 the members' pages, 93 satisfaction surveys, 94 the Model Workers' Home,
95 official documents, 96 meeting papers, 97 approval sheets, 98 upward summaries, 99 the archive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Seeder:
    order: int
    name: str
    run: Callable[..., object]  # run(write=...): idempotent, says what it made through write


_SEEDERS: dict[str, Seeder] = {}


def register(name: str, run: Callable[..., object], *, order: int) -> None:
    known = _SEEDERS.get(name)
    if known is not None and known.order != order:
        raise ValueError(f"demo seeder {name!r} is registered twice")
    _SEEDERS[name] = Seeder(order, name, run)


def seeders() -> list[Seeder]:
    """Every installed app's seeders, in their order."""
    autodiscover_modules("demo")
    return sorted(_SEEDERS.values(), key=lambda s: (s.order, s.name))
