"""The 本算定's print run reads in batches (design rule 8): a chunk reads its persons and their 期割 with BatchGetItem
(100 keys a request) and each person's results of the 年度 with one query — the levies' sort key holds the 更正回数,
which is not known beforehand — counted through the client factory (shared/adapters/kms_calls.counting_calls).

The city of tests/assessment/test_decision_run.py: seven insured persons with a 令和7年度 result and its 期割, one
chunk of seven here (the default chunk size)."""

from __future__ import annotations

import math

from functions.assessment.services.decision_run import DECISION_NOTICES, plan_decision_notices
from functions.assessment.services.notices import decision_notice, decision_notice_of
from functions.assessment.services.schedules import load_schedules
from shared.adapters.kms_calls import counting_calls
from shared.adapters.levies import LevyStore
from shared.adapters.persons import PersonRepository
from shared.batch import start
from shared.batch.lifecycle import chunks_of
from tests.assessment.test_decision_run import ORDER, YEAR, levied  # noqa: F401  (the fixture)

READS = ("GetItem", "BatchGetItem", "Query", "Scan")


def _bound(persons: int) -> float:
    """Reads per person a chunk may make: one query of results each, plus a BatchGetItem of persons and one of 期割
    per 100 persons."""
    return (persons + 2 * math.ceil(persons / 100)) / persons


def _reads(calls) -> int:
    return sum(calls[op] for op in READS)


def test_a_chunk_reads_persons_and_their_instalments_in_batches_and_results_once_per_person(levied) -> None:  # noqa: F811
    job = start(levied, DECISION_NOTICES, plan_decision_notices(levied, YEAR))
    [chunk] = chunks_of(levied, job.job_id)
    with counting_calls(levied.clients, "dynamodb") as calls:
        counts = DECISION_NOTICES.apply(levied, job, chunk)
    assert counts["printed"] == len(ORDER) == 7
    assert calls["BatchGetItem"] == 2  # persons, then their 期割
    assert calls["Query"] == len(ORDER)  # each person's results of the 年度, once
    assert calls["GetItem"] == 0 and calls["Scan"] == 0
    assert _reads(calls) / len(ORDER) <= _bound(len(ORDER)) < 2


def test_twin_reading_person_by_person_breaks_the_bound(levied) -> None:  # noqa: F811
    """Negative twin: the counter's one-person path, once per person (as the chunk read before), costs 2 requests a
    person (期割 and results) on top of the person: the bound catches it. Its notices are the batched path's."""
    people = levied.repository(PersonRepository).get_many(ORDER)
    with counting_calls(levied.clients, "dynamodb") as calls:
        single = [decision_notice(levied, people[p], YEAR) for p in ORDER]
    assert calls["GetItem"] == len(ORDER) and calls["Query"] == len(ORDER)
    assert _reads(calls) / len(ORDER) > _bound(len(ORDER))
    assert all(found is not None for found in single)
    schedules = load_schedules(levied, ORDER, YEAR)
    levies = levied.repository(LevyStore)
    batched = [decision_notice_of(levied, people[p], YEAR, levies.of_year(p, YEAR), schedules[p]) for p in ORDER]
    assert [(f[0].data, f[0].context, f[1]) for f in batched] == [(f[0].data, f[0].context, f[1]) for f in single]
