"""Collection at the PIA's scale (`python -m bench collection`): matching 300,000 payments of one 収納 file and
the 督促 run over 300,000 期 (PIA-I-1-g: 10万人以上30万人未満; issue 14 §9).

The embedded AWS runs as a server in this process; each job runs in a child process that stands for the Lambda
function, so its peak RSS is the job's own. Reported per job: AWS requests (DynamoDB and S3, counted at the client)
per payment or per 期 — the target is at most 0.1 per payment —, KMS calls (none: collection seals nothing), peak
RSS and the longest chunk (Lambda stops at 900 s). The payments mix full, partial, over-, duplicate and unknown
payers; the run must reconcile to the yen (posted + over-paid + suspense = received). `CHOJU_BENCH_PAYMENTS`
lowers the count for a quick look.

The baseline, measured in the same run: the same code one item at a time (chunks of one payment, one 期), on a
sample of its own 期 (`CHOJU_BENCH_BASELINE`, 2,000 by default; other 納付番号 and an earlier 納期限, so neither
run sees the other's). Its requests per item are what a per-payment design costs; the report gives the ratios.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

TARGET_REQUESTS_PER_PAYMENT = 0.1
LAMBDA_SECONDS = 900
DUE = date(2025, 7, 31)
BASELINE_DUE = date(2025, 6, 30)


class Lot(NamedTuple):
    """One set of 期 and the 収納 file paying them: the measured run or the baseline's sample."""

    name: str
    prefix: str  # of its person ids
    count: int
    due: date
    dunning_day: date  # 15 days after `due`: within the 督促 window of that 納期限 only
    chunk: int


def _environment(state: Path, port: int) -> dict[str, str]:
    from shared.local.identity import ensure_keys
    from shared.local.state import local_environment

    ensure_keys(state)
    return {**os.environ, **local_environment(state, port), "CHOJU_NAME_PREFIX": "choju-bench",
            "POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING", "CHOJU_LOG_LEVEL": "WARNING"}


def _payments(lot: Lot, numbers: Sequence[str]) -> tuple[bytes, int]:
    """The agent's final file: 1 % unknown payers, 1 % partial (5,000), 1 % over (12,000), 1 % duplicates of an
    over-paid 期, the rest the 9,800 asked."""
    from functions.collection.rules.payment_file import Channel, PaymentRecord, build_payment_file

    records = []
    for i in range(lot.count):
        kind = i % 100
        number = "1" * 16 if kind == 0 else numbers[i - 1 if kind == 3 else i]
        amount = {1: 5_000, 2: 12_000}.get(kind, 9_800)
        records.append(PaymentRecord(0, f"{lot.prefix}{i:019d}", number, lot.due - timedelta(days=1),
                                     lot.due + timedelta(days=8), amount))
    return build_payment_file(Channel.CVS_FINAL, lot.due + timedelta(days=10), "0000054321", "BENCH", records), \
        sum(r.amount for r in records)


def _schedule(lot: Lot, i: int) -> dict[str, Any]:
    """A person's 期割 as the assessment workflow writes it (one `instalments` item per person and 年度), with the
    one 期 of this run."""
    period = {"key": f"N{lot.due.month:02d}", "method": "ordinary", "stage": "ordinary", "number": 1,
              "due_date": lot.due.isoformat(), "amount": 9_800, "paid": 0, "status": "open", "levy_year": 2025}
    return {"schedule_id": f"P{lot.prefix}{i:09d}-2025", "person_id": f"P{lot.prefix}{i:09d}", "fiscal_year": 2025,
            "levy_version": 1, "annual_premium": 9_800, "collection_method": "ordinary", "periods": [period],
            "overpayment": 0, "provisional_figures": [], "version": 1}


def _seed(lots: Sequence[Lot]) -> dict[str, list[str]]:
    """The schedules, and their slips as the daily run takes them; returns each lot's 納付番号 in order."""
    from functions.collection.services.store import slip_number, take_schedules
    from shared.config import load_settings
    from shared.local.bootstrap import bootstrap_storage
    from shared.runtime import Runtime

    rt = Runtime(load_settings())
    bootstrap_storage(rt)
    numbers: dict[str, list[str]] = {}
    for lot in lots:
        schedules = [_schedule(lot, i) for i in range(lot.count)]
        rt.records("instalments").put_many(schedules)
        take_schedules(rt, schedules)
        numbers[lot.name] = [slip_number(s["schedule_id"], s["periods"][0]["key"]) for s in schedules]
    return numbers


CHILD = """
import json, sys
from bench.collection import child
print(json.dumps(child(*sys.argv[1:])))
"""


def child(job: str, path: str, chunk: str, day: str) -> dict[str, Any]:
    """One job as its Lambda function would run it, with every AWS call counted."""
    from shared.config import load_settings
    from shared.runtime import Runtime

    rt = Runtime(load_settings())
    calls: Counter[str] = Counter()
    for service in ("dynamodb", "s3", "kms"):
        rt.clients.client(service).meta.events.register(
            f"before-call.{service}.*", lambda model, _s=service, **_: calls.update([f"{_s}:{model.name}"]))
    started = time.perf_counter()
    if job == "match":
        from functions.collection.services.payments import import_payments

        run = import_payments(rt, "cvs-agent", Path(path).read_bytes(), chunk_size=int(chunk))
        result: dict[str, Any] = {"items": run.rows, "totals": run.totals, "longest_chunk": run.longest_chunk_seconds}
    else:
        from functions.collection.services.dunning import run_dunning

        report = run_dunning(rt, date.fromisoformat(day), chunk=int(chunk))
        result = {"items": report.examined, "dunned": report.dunned, "longest_chunk": report.longest_chunk_seconds}
    result.update(seconds=time.perf_counter() - started, calls=dict(calls),
                  peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def _cheap_transaction_backups() -> None:
    """moto backs a transaction up by deep-copying every table it touches, once per item: at 300,000 ledgers that
    is minutes per transaction, a cost of the stand-in and not of DynamoDB. Here the backup is the items the
    transaction names, put back if it fails. The requests counted, the job's memory and its chunks are unchanged;
    the chunk times still include moto's own slowness (about 1.5 ms per key read), so they are an upper bound."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = DynamoDBBackend.transact_write_items

    def transact(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = []
        for entry in transact_items:
            op = next(iter(entry.values()))
            table = self.tables.get(op.get("TableName"))
            attributes = op.get("Item") or op.get("Key")
            if table is None or not attributes:
                continue
            key = DynamoType(attributes[table.hash_key_attr])
            rank = DynamoType(attributes[table.range_key_attr]) if table.range_key_attr else None
            held = table.items.get(key) if rank is None else table.items.get(key, {}).get(rank)
            saved.append((table, key, rank, held))
        try:
            return original(self, transact_items)
        except Exception:
            for table, key, rank, held in reversed(saved):
                place = table.items if rank is None else table.items[key]
                slot = key if rank is None else rank
                if held is None:
                    place.pop(slot, None)
                else:
                    place[slot] = held
            raise

    DynamoDBBackend.transact_write_items = transact  # type: ignore[method-assign]
    Table.__deepcopy__ = lambda self, memo: self  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _lots(count: int | None, baseline: int | None) -> tuple[Lot, Lot]:
    count = count or int(os.environ.get("CHOJU_BENCH_PAYMENTS", "300000"))
    baseline = min(count, baseline or int(os.environ.get("CHOJU_BENCH_BASELINE", "2000")))
    return (Lot("batched", "7", count, DUE, DUE + timedelta(days=15), 1000),
            Lot("baseline", "8", baseline, BASELINE_DUE, BASELINE_DUE + timedelta(days=15), 1))


def _job(environment: dict[str, str], job: str, lot: Lot, payments: Path) -> dict[str, Any]:
    arguments = [job, str(payments), str(lot.chunk), lot.dunning_day.isoformat()]
    done = subprocess.run([sys.executable, "-c", CHILD, *arguments], env=environment, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{lot.name} {job} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(count: int | None = None, baseline: int | None = None) -> dict[str, Any]:
    from moto.server import ThreadedMotoServer

    lots = _lots(count, baseline)
    _cheap_transaction_backups()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            environment = _environment(Path(folder) / "state", port)
            os.environ.update({k: v for k, v in environment.items() if k.startswith(("CHOJU_", "AWS_", "POWERTOOLS_"))})
            began = time.perf_counter()
            numbers = _seed(lots)
            results: dict[str, Any] = {"seed_seconds": time.perf_counter() - began}
            for lot in lots:
                content, received = _payments(lot, numbers[lot.name])
                payments = Path(folder) / f"{lot.name}.dat"
                payments.write_bytes(content)
                results[lot.name] = {"count": lot.count, "received": received, "chunk": lot.chunk,
                                     **{job: _job(environment, job, lot, payments) for job in ("match", "dunning")}}
            return results
    finally:
        server.stop()


def _requests(calls: dict[str, int]) -> int:
    return sum(n for name, n in calls.items() if not name.startswith("kms:"))


def _kms(calls: dict[str, int]) -> int:
    return sum(n for name, n in calls.items() if name.startswith("kms:"))


def _per_item(job: dict[str, Any]) -> float:
    return _requests(job["calls"]) / max(job["items"], 1)


def _reconciled(lot: dict[str, Any]) -> bool:
    totals = lot["match"]["totals"]
    placed = totals.get("yen_posted", 0) + totals.get("yen_over-paid", 0) + totals.get("yen_suspense", 0)
    return bool(placed == lot["received"])


def report(result: dict[str, Any]) -> bool:
    batched, baseline = result["batched"], result["baseline"]
    print(f"{batched['count']:,} payments in one 収納 file and {batched['count']:,} 期 due {DUE}; baseline: "
          f"{baseline['count']:,} of its own, one per chunk (embedded AWS as a server; each job in its own process; "
          f"seeding took {result['seed_seconds']:.0f} s)")
    print(f"{'job':<22}{'items':>9}{'requests':>10}{'per item':>10}{'KMS':>5}{'peak RSS MB':>13}"
          f"{'longest chunk s':>17}{'ms per item':>13}")
    for job, title in (("match", "matching"), ("dunning", "督促 run")):
        for name, lot in (("batched", batched), ("baseline", baseline)):
            run = lot[job]
            print(f"{title + ' ' + name + ' (' + str(lot['chunk']) + ')':<22}{run['items']:>9,}"
                  f"{_requests(run['calls']):>10,}{_per_item(run):>10.3f}{_kms(run['calls']):>5}"
                  f"{run['peak_rss_mb']:>13.0f}{run['longest_chunk']:>17.2f}"
                  f"{1000 * run['seconds'] / max(run['items'], 1):>13.2f}")
        ratio = _per_item(baseline[job]) / max(_per_item(batched[job]), 1e-9)
        speed = (baseline[job]["seconds"] / max(baseline[job]["items"], 1)) / \
            max(batched[job]["seconds"] / max(batched[job]["items"], 1), 1e-9)
        print(f"  {title}: {ratio:.0f}x fewer requests per item than the baseline, {speed:.1f}x less time per item")
    totals = batched["match"]["totals"]
    print("matching outcomes: " + ", ".join(f"{k.removeprefix('payments_')} {v:,}" for k, v in sorted(totals.items())
                                            if k.startswith("payments_")))
    for name, lot in (("batched", batched), ("baseline", baseline)):
        t = lot["match"]["totals"]
        print(f"reconciliation ({name}): received {lot['received']:,} = posted {t.get('yen_posted', 0):,} + "
              f"over-paid {t.get('yen_over-paid', 0):,} + suspense {t.get('yen_suspense', 0):,}: "
              f"{'yes' if _reconciled(lot) else 'NO'}")
    print(f"督促状: {batched['dunning']['dunned']:,} (baseline {baseline['dunning']['dunned']:,}); requests by "
          "operation (matching): " + ", ".join(f"{k} {v:,}" for k, v in sorted(batched["match"]["calls"].items())))
    kms = sum(_kms(lot[job]["calls"]) for lot in (batched, baseline) for job in ("match", "dunning"))
    longest = max(batched["match"]["longest_chunk"], batched["dunning"]["longest_chunk"])
    return (_per_item(batched["match"]) <= TARGET_REQUESTS_PER_PAYMENT and _per_item(batched["match"])
            < _per_item(baseline["match"]) and _per_item(batched["dunning"]) < _per_item(baseline["dunning"])
            and _reconciled(batched) and _reconciled(baseline) and kms == 0 and longest < LAMBDA_SECONDS / 10)
