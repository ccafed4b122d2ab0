"""Two people completing the same task at the same moment, 100 times (issue 10, "Concurrency").

The Party organisation decides in writing; its secretary and the union's office staff both record
for it. In each trial both post a written decision on the same open work item through HTTP, in two
threads with two real PostgreSQL connections, released together by a barrier. Exactly one wins (302);
the other is told who decided and when (409, "X 已于 T 办理", what they typed still in the form).
Neither a second decision, nor a second completed work item, nor a second event is written.

The trial returns the budget (the union's return rules restart a revision at the step that returned
it), so the drafter's resubmission puts a fresh party task up for the next trial: 100 races on one
budget; ten budgets race side by side (10 rounds), about 30 s.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.models import Event
from tests.pages import already_handled, content
from tests.scenarios import answer_all, audit_meeting, consolidate, open_items
from workflows.budget.services import budget_submit
from workflows.models import Resolution, WorkItem, WorkItemState, WrittenDecision

TRIALS = 100
PARALLEL = 10  # budgets raced side by side in each round: 10 rounds of 10 races


def race(attempts: list[tuple[object, str, dict]]) -> list:
    """Each (user, url, data) posted from its own thread and connection, released together."""
    barrier = threading.Barrier(len(attempts))
    results: dict[int, object] = {}
    failures: list[BaseException] = []
    clients = []
    for user, _path, _data in attempts:
        client = Client()
        client.force_login(user)  # logged in beforehand: the race is about the post alone
        clients.append(client)

    def run(index: int, path: str, data: dict) -> None:
        try:
            barrier.wait(timeout=20)
            results[index] = clients[index].post(path, data)
        except BaseException as exc:  # noqa: BLE001 — reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, path, data)) for i, (_user, path, data) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return [results[i] for i in range(len(attempts))]


def snapshot(budget) -> dict[str, int]:
    return {
        "decisions": WrittenDecision.objects.filter(work_item__process=budget.process).count(),
        "party_done": WorkItem.objects.filter(
            process=budget.process, step="party_approval", state=WorkItemState.DONE
        ).count(),
        "items": WorkItem.objects.filter(process=budget.process).count(),
        "returned_events": Event.objects.filter(verb="returned", subject_id=str(budget.pk)).count(),
    }


def party_form(user, number: str, trial: int) -> dict:
    return {
        "resolution": Resolution.RETURN,
        "reference_number": number,
        "decided_on": timezone.localdate().isoformat(),
        "opinions": f"第{trial}次：请补充职工书屋经费测算依据",
    }


@pytest.mark.django_db(transaction=True)
def test_two_recorders_completing_the_same_task_at_once_exactly_one_wins_every_time(cast, submitted_budget):
    # given: budgets before the Party organisation (one per year, raced side by side so that the
    # loser's lock back-off sleeps overlap), whose two recorders race on each
    budgets = []
    for year in range(2027, 2027 + PARALLEL):
        budget = submitted_budget(year=year)
        answer_all(budget, cast)
        consolidate(budget, cast)
        audit_meeting(budget, cast)
        budgets.append(budget)
    racers = {cast.party_secretary.pk: "secretary", cast.office.pk: "office"}
    wins = {"secretary": 0, "office": 0}
    for round_no in range(TRIALS // PARALLEL):
        attempts, trials = [], []
        for index, budget in enumerate(budgets):
            trial = round_no * PARALLEL + index
            (item,) = open_items(budget)
            assert item.step == "party_approval", (trial, item.step)
            path = reverse("workflows:written_decision", args=[item.pk])
            numbers = {
                cast.party_secretary.pk: f"机党〔{budget.year}〕{trial}-A号",
                cast.office.pk: f"机党〔{budget.year}〕{trial}-B号",
            }
            # alternate whose thread starts first
            pair = [cast.party_secretary, cast.office] if trial % 2 else [cast.office, cast.party_secretary]
            trials.append((trial, budget, item, numbers, pair, snapshot(budget)))
            attempts += [(user, path, party_form(user, numbers[user.pk], trial)) for user in pair]

        # when: both recorders of every budget post the decision at the same moment
        responses = race(attempts)

        for position, (trial, budget, item, numbers, pair, before) in enumerate(trials):
            mine = responses[2 * position : 2 * position + 2]
            # then: exactly one winner, the loser told who decided and when, typed form kept
            codes = sorted(r.status_code for r in mine)
            refused = [content(r)[:300] for r in mine if r.status_code != 302]
            assert codes == [302, 409], (trial, codes, refused)
            decision = WrittenDecision.objects.get(work_item=item)
            winner = decision.recorded_by_id
            wins[racers[winner]] += 1
            loser_user, loser_response = next(
                (u, r) for u, r in zip(pair, mine, strict=True) if r.status_code == 409
            )
            assert loser_user.pk != winner
            assert already_handled(item) in content(loser_response), (trial, content(loser_response)[:500])
            assert f'value="{numbers[loser_user.pk]}"' in content(loser_response)
            after = snapshot(budget)
            assert after["decisions"] - before["decisions"] == 1, trial
            assert after["party_done"] - before["party_done"] == 1, trial
            assert after["returned_events"] - before["returned_events"] == 1, trial
            item.refresh_from_db()
            assert item.finished_by_id == winner and item.outcome == Resolution.RETURN
            assert Task.objects.get(pk=item.task_id).status == STATUS.DONE
            # one revise task for the drafter, nothing else open, no duplicate item
            (revise,) = open_items(budget)
            assert revise.step == "revise" and revise.assignee_id == cast.office.pk
            assert after["items"] - before["items"] == 1, trial

            # the drafter resubmits: the union's rules restart at the party step
            budget_submit(actor=cast.office, budget=budget)

    # no duplicates over the whole run
    for budget in budgets:
        per_budget = TRIALS // PARALLEL
        assert WrittenDecision.objects.filter(work_item__process=budget.process).count() == per_budget
        party_items = WorkItem.objects.filter(process=budget.process, step="party_approval")
        assert party_items.count() == per_budget + 1
        open_tasks = Task.objects.filter(process=budget.process, flow_task_type="HUMAN").exclude(
            status__in=[STATUS.DONE, STATUS.CANCELED]
        )
        assert open_tasks.count() == 1
        assert not Task.objects.filter(process=budget.process, status=STATUS.ERROR).exists()
    assert wins["secretary"] + wins["office"] == TRIALS
    print(f"\n{TRIALS} trials: secretary won {wins['secretary']}, office won {wins['office']}")
