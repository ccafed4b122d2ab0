"""Demo: the Model Workers' Home (S5.1, S5.2), through the real services, after the surveys.

The provincial organs union's office adopts and publishes this year's shipped standard. edu-office holds
a provincial title from three years ago (recorded from the province's records), due for re-examination
this year. fin-office — the union with members, contacts, training and a closed survey — scores itself,
links a task of its plan to the creation criterion, adds its own evidence, and applies: its application
waits for the review of 省财政厅机关工会. fin-office's workers are given (62) where the demo left them out,
so that its membership rate is known. Idempotent: once the province has this year's standard, nothing
more is made.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Union, User

from . import selectors, services, standards
from .models import EvidenceSource, HomeStandard, Level

OWN_EVIDENCE = {
    0: "2026年3月党组会议听取工会工作汇报，会议纪要第5号。",
    1: "职工之家设有职工书屋、健身室和母婴室，每个工作日开放；开放制度和照片见附件目录。",
}


def _scores(application, office: User) -> None:
    """Each criterion scored at its points less a little where the evidence is short; the union's own
    evidence for the criteria without an automatic source; the plan's first task linked to the plan
    criterion."""
    tasks = [item.pk for item in selectors.plan_item_choices(application.union, application.year)][:1]
    entries, own = {}, iter(OWN_EVIDENCE.values())
    for score in selectors.scores_of(application):
        criterion = score.criterion
        entry = {"self_score": criterion.points}
        if criterion.evidence_source == EvidenceSource.MANUAL and criterion.evidence_required:
            entry["evidence"] = next(own, "见创建工作台账。")
        if criterion.evidence_source == EvidenceSource.PLAN_TASKS:
            entry["plan_items"] = tasks
        entries[criterion.pk] = entry
    services.scores_save(
        actor=office,
        application=application,
        entries=entries,
        summary="坚持把模范职工之家创建纳入机关党建总体部署，围绕“五个一”工作法建家、管家、爱家。",
    )


@transaction.atomic
def seed_demo_model_home(*, write=print) -> list[str]:
    prov = Union.objects.filter(code="prov").first()
    keeper = User.objects.filter(username="prov-office").first()
    if prov is None or keeper is None:
        return []
    year = timezone.localdate(timezone=prov.tz).year
    if HomeStandard.objects.filter(union=prov, year=year).exists():
        return []
    standard = standards.standard_adopt_shipped(union=prov, year=year, by=keeper)
    standards.standard_publish(standard=standard, by=keeper)
    made = [f"Model Workers' Home: {prov.name} published {standard.title}"]
    earlier = Union.objects.filter(code="edu-office").first()
    if earlier is not None:
        standards.title_record(
            actor=keeper, union=earlier, year=year - 3, level=Level.PROVINCIAL, awarded_by=prov
        )
        made.append(f"  {earlier.name}: provincial title of {year - 3}, re-examination due {year}")
    union = Union.objects.filter(code="fin-office").first()
    office = User.objects.filter(username="fin-office-office").first()
    if union is not None and office is not None:
        Union.objects.filter(pk=union.pk, worker_count__isnull=True).update(worker_count=62)
        union.refresh_from_db()
        application = services.application_create(actor=office, union=union, year=year)
        _scores(application, office)
        services.application_submit(actor=office, application=application)
        made.append(f"  {union.name}: application of {year} under review by {union.parent.name}")
    if write:
        for line in made:
            write(line)
    return made


demo_seeders.register("model home", seed_demo_model_home, order=94)
