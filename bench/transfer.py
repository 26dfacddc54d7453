"""The monthly 所得 transfer at scale (`python -m bench transfer`): rows/s, requests per row, peak RSS.

`CHOJU_BENCH_TRANSFER_PEOPLE` (default 20,000; 300,000 is the PIA's size class, PIA-I-1-g, and takes hours on
moto) insured persons with My Numbers and income records are written to an in-process moto; then the
`kouiki-income-monthly` job runs
under an approval (parallel-scan chunks, people joined 100 per BatchGetItem, numbers decrypted with cached data
keys), against a baseline measured in the same run: the same rows read one GetItem per person and one KMS call
per number. Target: at most 0.05 AWS requests per row, fewer than a tenth of the baseline's, and faster.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")

from moto import mock_aws

from bench.kms import _runtime
from functions.transfer.rules.jobs import job
from functions.transfer.rules.layouts import encode_rows
from functions.transfer.rules.periods import period_of
from functions.transfer.services.runs import run_period
from shared.adapters.kms_calls import counting_calls
from shared.adapters.persons import PersonRepository
from shared.domain.mynumber import parse_my_number
from shared.local.demo_data import demo_my_number

SERVICES = ("dynamodb", "kms", "s3")
JOB = job("kouiki-income-monthly")


def _seed(rt: Any, people: int) -> None:
    persons, incomes = rt.records("persons"), rt.records("income-records")
    blob = rt.vault.encrypt(parse_my_number(demo_my_number("12345678901")))
    for i in range(people):
        pid = f"P{i:010d}"
        persons.put({"person_id": pid, "name": "熊本 太郎", "birth_date": "1950-04-01", "mynumber_enc": blob,
                     "suspended": False})
        incomes.put({"income_id": f"I{i:010d}-2026", "person_id": pid, "fiscal_year": 2026, "resident_tax": "課税",
                     "taxable_base": 1_200_000 + i, "total_income": 1_500_000 + i})
    rt.records("transfer-approvals").put({
        "approval_id": "DUA-BENCH", "recipient": "kouiki-rengo", "legal_basis": "高確法第138条", "purpose": "賦課",
        "conditions": "専用線", "valid_from": "2025-01-01", "valid_to": "2027-12-31", "fields": list(JOB.fields),
        "jobs": [JOB.name], "frequency": "monthly", "status": "active", "version": 1})


def _baseline(rt: Any) -> int:
    """One GetItem per person and one KMS Decrypt per number: what the chunked job avoids."""
    kms, rows = rt.clients.client("kms"), []
    for page in rt.records("income-records").scan_segment(0, 1, "fiscal_year", 2026):  # type: ignore[arg-type]
        for record in page:
            person = rt.repository(PersonRepository).get(record["person_id"]) or {}
            kms.describe_key(KeyId=rt.key_alias("mynumber"))  # stands for the per-value KMS round trip
            rows.append({**person, **record, "my_number": "000000000000"})
    encode_rows(JOB, rows)
    return len(rows)


def _measure(rt: Any, work: Any) -> dict[str, float]:
    with ExitStack() as stack:
        counts = [stack.enter_context(counting_calls(rt.clients, service)) for service in SERVICES]
        started = time.perf_counter()
        rows = work()
        seconds = time.perf_counter() - started
    requests = sum(sum(c.values()) for c in counts)
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds, "requests_per_row": requests / rows}


def run(people: int | None = None) -> dict[str, Any]:
    people = people or int(os.environ.get("CHOJU_BENCH_TRANSFER_PEOPLE", "20000"))
    with mock_aws(), tempfile.TemporaryDirectory() as state:
        rt = _runtime(Path(state))
        rt.clock = lambda: datetime(2026, 5, 2, 3, tzinfo=UTC)  # type: ignore[method-assign]
        _seed(rt, people)
        baseline = _measure(rt, lambda: _baseline(rt))
        period = period_of(date(2026, 4, 1), "monthly")
        chunked = _measure(rt, lambda: run_period(rt, JOB, period, date(2026, 5, 2), "bench", "bench").rows)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"people": people, "baseline": baseline, "chunked": chunked, "peak_rss_mb": peak_mb}


def report(result: dict[str, Any]) -> bool:
    b, c = result["baseline"], result["chunked"]
    print(f"people: {result['people']:,}")
    for name, m in (("baseline (GetItem + KMS per row)", b), ("transfer job (chunked)", c)):
        print(f"  {name:<34} {m['rows']:>8,} rows  {m['rows_per_s']:>9,.0f} rows/s  "
              f"{m['requests_per_row']:.4f} requests/row")
    print(f"  peak RSS: {result['peak_rss_mb']:.0f} MB")
    ok = (c["rows"] == b["rows"] == result["people"] and c["requests_per_row"] <= 0.05
          and c["requests_per_row"] < b["requests_per_row"] / 10 and c["rows_per_s"] > b["rows_per_s"])
    print("  target met" if ok else "  TARGET MISSED: ≤0.05 requests/row, <1/10 of the baseline, faster")
    return ok
