"""The yearly 本算定 (`python -m bench assessment`): 所得 import, 賦課 results with their 突合 and 期割, per person.

A synthetic city of `people` insured persons (households of one and of two, 年金 receipts spread over every 軽減
band) is loaded into moto; then the 市民税課's 所得 file and the 広域連合's 保険料情報 are imported a chunk at a
time, as the batch framework (issue 11) will hand them over. Measured: AWS requests per person (by operation),
KMS calls, peak RSS of the process and the longest chunk. The figures are for moto in this process: the request
counts are exact and scale linearly, so they are projected to 300,000 people; the times are not DynamoDB's.

Targets (exit status 1 when missed): at most `MAX_REQUESTS_PER_PERSON` requests per person, and no KMS call per
person (the assessment path never touches a My Number).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

from moto import mock_aws

from functions.assessment.rules.premium import Member, calculate
from functions.assessment.services.income_import import import_income
from functions.assessment.services.results_import import import_results
from shared.adapters.aws import AwsClients
from shared.adapters.persons import PersonRepository
from shared.config import load_settings
from shared.domain.person import derived_fields
from shared.local.bootstrap import bootstrap_storage
from shared.local.identity import LOCAL_AUDIENCE, LOCAL_ISSUER, ensure_keys
from shared.runtime import Runtime
from tests.assessment.files import income_file, income_record, result_record, results_file

FISCAL_YEAR = 2025
SCALE = 300_000  # the seed's insured population
MAX_REQUESTS_PER_PERSON = 17  # measured 16.1 (2025-07 data, a third of households with two insured)
SERVICES = ("dynamodb", "s3", "kms", "sqs", "events", "cloudwatch")
DETERMINED = datetime(2025, 7, 10, 1, 0, tzinfo=UTC)  # the 本算定 run (10:00 in Japan)


@contextmanager
def counting_requests(clients: AwsClients) -> Iterator[Counter[str]]:
    """Count every AWS operation the factory's clients send while the block runs ("service.Operation")."""
    counts: Counter[str] = Counter()
    emitters = [clients.client(service).meta.events for service in SERVICES]

    def count(model: Any, **_: Any) -> None:
        counts[f"{model.service_model.service_name}.{model.name}"] += 1

    for events in emitters:
        events.register("before-call", count, unique_id="choju-bench-requests")
    try:
        yield counts
    finally:
        for events in emitters:
            events.unregister("before-call", unique_id="choju-bench-requests")


def _household(i: int) -> list[tuple[str, int]]:
    """(person id, 年金 receipts) of household i: every third household has two insured members."""
    receipts = 800_000 + (i * 37_000) % 2_400_000  # 80万 … 320万: every 軽減 band and none
    members = [(f"P{2 * i:010d}", receipts)]
    if i % 3 == 0:
        members.append((f"P{2 * i + 1:010d}", 800_000))
    return members


def _seed(rt: Runtime, households: int) -> None:
    persons = rt.repository(PersonRepository)
    for i in range(households):
        for n, (pid, _) in enumerate(_household(i)):
            record: dict[str, Any] = {
                "person_id": pid, "household_id": f"H{i:010d}", "name": "試算 太郎", "name_kana": "シサン タロウ",
                "birth_date": "1948-06-01", "sex": "1", "address": "熊本市中央区手取本町1-1",
                "postal_code": "860-0000", "resident_status": "registered",
                "relationship": "世帯主" if n == 0 else "妻",
                "is_household_head": n == 0, "insured_number": f"{2 * i + n + 10_000_000:08d}", "suspended": False,
                "version": 1, "updated_at": DETERMINED.isoformat(), "eligibility_status": "insured"}
            record.update(derived_fields(record))
            persons.put_new(record)


def _files(first: int, last: int) -> tuple[bytes, bytes]:
    """The 所得 and 保険料情報 files of households first … last − 1 (results computed to match)."""
    incomes, results = [], []
    for i in range(first, last):
        members = _household(i)
        estimate = calculate(FISCAL_YEAR, [Member(pid, True, n == 0, date(1948, 6, 1), public_pension_receipts=r)
                                           for n, (pid, r) in enumerate(members)])
        reduction = {"70%": "1", "50%": "2", "20%": "3", None: "0"}[estimate.reduction]
        for (pid, receipts), premium in zip(members, estimate.members, strict=True):
            no = len(incomes) + 1
            income = max(0, receipts - 1_100_000)
            incomes.append(income_record(no, pid[1:], total=income, pension_receipts=receipts,
                                         pension_income=income))
            results.append(result_record(no, pid[1:], insured=f"{int(pid[1:]) + 10_000_000:08d}",
                                         annual=premium.annual_premium, equal=premium.equal_share,
                                         income=premium.income_share, reduction=reduction,
                                         capped=premium.capped, base=max(0, income - 430_000)))
    return income_file(FISCAL_YEAR, incomes), results_file(FISCAL_YEAR, results)


def _runtime(state: Path) -> Runtime:
    ensure_keys(state)
    settings = load_settings({"CHOJU_NAME_PREFIX": "choju-bench", "CHOJU_JWKS": str(state / "jwks.json"),
                              "CHOJU_TOKEN_ISSUER": LOCAL_ISSUER, "CHOJU_TOKEN_AUDIENCE": LOCAL_AUDIENCE})
    runtime = Runtime(settings, clock=lambda: DETERMINED)
    bootstrap_storage(runtime)
    return runtime


def run(households: int = 120, chunk: int = 40) -> dict[str, Any]:
    """Import and assess `households` households, `chunk` households a file; count and time each chunk."""
    with mock_aws(), tempfile.TemporaryDirectory() as state:
        rt = _runtime(Path(state))
        _seed(rt, households)
        people = sum(len(_household(i)) for i in range(households))
        chunks: list[float] = []
        outcomes: Counter[str] = Counter()
        with counting_requests(rt.clients) as requests:
            for first in range(0, households, chunk):
                income, results = _files(first, min(first + chunk, households))
                started = time.perf_counter()
                applied = import_income(rt, "shiminzei-renkei", income)
                assessed = import_results(rt, "kouiki-rengo", results)
                chunks.append(time.perf_counter() - started)
                outcomes.update({"income_" + applied.status: 1, "results_" + assessed.status: 1,
                                 **assessed.summary})
    return {"people": people, "chunk_people": people * chunk // households, "chunks": chunks,
            "requests": dict(requests), "outcomes": dict(outcomes),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report(result: dict[str, Any]) -> bool:
    people, requests = result["people"], result["requests"]
    total = sum(requests.values())
    kms = sum(v for k, v in requests.items() if k.startswith("kms."))
    per_person = total / people
    print(f"本算定 of {people} people in {len(result['chunks'])} chunks of ~{result['chunk_people']} "
          f"(所得 import + 賦課 results + 突合 + 期割), moto in one process:")
    for name, calls in sorted(requests.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<40}{calls:>8}{calls / people:>8.2f} per person")
    print(f"requests per person: {per_person:.2f} (target ≤ {MAX_REQUESTS_PER_PERSON}); "
          f"projected for {SCALE:,}: {per_person * SCALE:,.0f}")
    print(f"KMS calls: {kms}; peak RSS: {result['peak_rss_mib']:.0f} MiB (moto included)")
    longest = max(result["chunks"])
    print(f"longest chunk: {longest:.2f} s for ~{result['chunk_people']} people "
          f"({longest / result['chunk_people'] * 1000:.1f} ms per person on moto)")
    print(f"outcomes: {result['outcomes']}")
    matched = result["outcomes"].get("checks_match", 0) == people
    if not matched:
        print("not every result matched its 突合: the bench's figures or the calculator changed")
    return per_person <= MAX_REQUESTS_PER_PERSON and kms == 0 and matched
