"""消込 of payment files against the declared tables: full, partial, over, duplicate, unknown payer; a file sent
twice; a run resumed after a stop; a ledger changed meanwhile. Every case ends reconciled to the yen: total
received = Σ posted to 期 + Σ over-payments + Σ suspense, and every 期 balance is what was levied minus what
was posted to it."""

from __future__ import annotations

import pytest

from functions.collection.rules.payment_file import Channel
from functions.collection.services import postings
from functions.collection.services.payments import import_payments
from shared.domain.counterparties import UnknownCounterparty
from shared.domain.fixed_width import FileRejected
from tests.collection.seed import HANAKO, TARO, payment_file, seed_instalment

UNKNOWN = "9999999999999999"


@pytest.fixture
def periods(runtime):
    return {"t1": seed_instalment(runtime, TARO, 1, 9_800, "2025-07-31"),
            "t2": seed_instalment(runtime, TARO, 2, 9_800, "2025-09-01"),
            "h1": seed_instalment(runtime, HANAKO, 1, 5_000, "2025-07-31")}


def _where(runtime, table: str, field: str, value: str) -> list[dict]:
    """Every record of `table` whose `field` is `value` (a full read: fine for a test's few records)."""
    return [r for r in runtime.records(table).scan_all() if r.get(field) == value]


def rows(periods) -> list[tuple[str, str, int, str]]:
    t1, t2, h1 = periods["t1"].payment_number, periods["t2"].payment_number, periods["h1"].payment_number
    return [("R1", t1, 9_800, "2025-07-30"),  # full
            ("R2", t2, 5_000, "2025-08-20"),  # partial
            ("R3", t2, 6_000, "2025-08-25"),  # over: 4,800 posted, 1,200 over-paid
            ("R4", h1, 5_000, "2025-07-31"),  # full
            ("R5", h1, 5_000, "2025-08-01"),  # duplicate: all 5,000 over-paid
            ("R6", UNKNOWN, 3_000, "2025-08-02")]  # unknown payer: suspense


def balances(runtime) -> dict[str, int]:
    """Σ of each place a yen can be, read back from the tables."""
    ledger = list(_where(runtime, "collection-ledger", "person_id", TARO)) + \
        list(_where(runtime, "collection-ledger", "person_id", HANAKO))
    return {"posted": sum(e["amount"] for item in ledger for e in item["entries"].values()),
            "over-paid": sum(o["amount"] for o in _where(runtime, "overpayments", "status", "open")),
            "suspense": sum(s["amount"] for s in _where(runtime, "suspense-receipts", "status", "open"))}


def outstanding(runtime, instalment) -> int:
    item = runtime.records("collection-ledger").get(instalment.payment_number)
    return instalment.amount - sum(e["amount"] for e in (item or {}).get("entries", {}).values())


def test_a_final_file_reconciles_to_the_yen(runtime, periods) -> None:
    run = import_payments(runtime, "cvs-agent", payment_file(rows(periods)))
    assert run.status == "applied" and run.rows == 6
    # received 9,800 + 5,000 + 6,000 + 5,000 + 5,000 + 3,000 = 33,800
    # = posted 9,800 + 5,000 + 4,800 + 5,000 = 24,600 + over-paid 1,200 + 5,000 = 6,200 + suspense 3,000
    assert balances(runtime) == {"posted": 24_600, "over-paid": 6_200, "suspense": 3_000}
    assert run.totals["yen_posted"] == 24_600 and run.totals["yen_over-paid"] == 6_200
    assert run.totals["yen_suspense"] == 3_000
    assert (run.totals["payments_posted"], run.totals["payments_overpaid"], run.totals["payments_duplicate"],
            run.totals["payments_suspense"]) == (3, 1, 1, 1)
    assert [outstanding(runtime, periods[k]) for k in ("t1", "t2", "h1")] == [0, 0, 0]
    causes = sorted((o["cause"], o["amount"]) for o in _where(runtime, "overpayments", "status", "open"))
    assert causes == [("duplicate", 5_000), ("over-payment", 1_200)]


def test_the_same_file_again_posts_nothing(runtime, periods) -> None:
    content = payment_file(rows(periods))
    import_payments(runtime, "cvs-agent", content)
    again = import_payments(runtime, "cvs-agent", content)
    assert again.status == "already-applied"
    assert balances(runtime) == {"posted": 24_600, "over-paid": 6_200, "suspense": 3_000}


def test_a_payment_repeated_in_another_file_is_not_posted_twice(runtime, periods) -> None:
    import_payments(runtime, "cvs-agent", payment_file(rows(periods)[:2]))
    t2 = periods["t2"].payment_number
    second = import_payments(runtime, "cvs-agent", payment_file(
        [("R2", t2, 5_000, "2025-08-20"), ("R7", t2, 4_800, "2025-08-28")], created="2025-08-29"))
    assert second.totals["payments_already-posted"] == 1 and second.totals["payments_posted"] == 1
    assert outstanding(runtime, periods["t2"]) == 0  # 9,800 = 5,000 + 4,800
    assert balances(runtime)["over-paid"] == 0


def test_a_preliminary_report_marks_and_the_final_one_posts(runtime, periods) -> None:
    t1 = periods["t1"].payment_number
    import_payments(runtime, "cvs-agent", payment_file([("R1", t1, 9_800, "2025-07-30")], Channel.CVS_PRELIMINARY))
    item = runtime.records("collection-ledger").get(t1)
    assert item["provisional"] and item["entries"] == {}
    import_payments(runtime, "cvs-agent", payment_file([("R1", t1, 9_800, "2025-07-30")]))
    item = runtime.records("collection-ledger").get(t1)
    assert item["provisional"] == {} and outstanding(runtime, periods["t1"]) == 0


def test_a_stopped_run_resumes_after_its_last_chunk(runtime, periods, monkeypatch) -> None:
    content = payment_file(rows(periods))
    real, calls = postings.post_receipts, []

    def failing(rt, receipts, today):
        calls.append(len(receipts))
        if len(calls) == 2:
            raise RuntimeError("Lambda timed out")
        return real(rt, receipts, today)

    monkeypatch.setattr("functions.collection.services.payments.post_receipts", failing)
    with pytest.raises(RuntimeError):
        import_payments(runtime, "cvs-agent", content, chunk_size=2)
    assert runtime.records("inbound-files").get(_hash(content))["progress"] == 2
    monkeypatch.setattr("functions.collection.services.payments.post_receipts", real)
    run = import_payments(runtime, "cvs-agent", content, chunk_size=2)
    assert run.status == "applied"
    assert balances(runtime) == {"posted": 24_600, "over-paid": 6_200, "suspense": 3_000}
    assert run.totals["yen_posted"] + run.totals["yen_over-paid"] + run.totals["yen_suspense"] == 33_800


def test_a_ledger_changed_meanwhile_is_read_again(runtime, periods, monkeypatch) -> None:
    """Someone posts 9,800 to t1 between the chunk's read and its write: the chunk's transaction writes nothing,
    t1 is read again, and the file's 9,800 for it becomes a duplicate (over-payment), not a lost or double yen."""
    from functions.collection.rules.ledger import Entry, EntryKind, Ledger
    from functions.collection.services import store

    t1 = periods["t1"]
    real, done = store.write_units, []

    def racing(rt, units):
        if not done:
            done.append(1)
            counter = Ledger(t1.payment_number, TARO).with_entry(
                Entry("WINDOW", EntryKind.RECEIPT, 9_800, t1.due_date, t1.due_date, channel="window"))
            now = store.instalments_by_number(rt, [t1.payment_number])[t1.payment_number]
            assert real(rt, [store.Unit(ledger=counter, instalment=now)])[0]  # the counter's posting, as it writes
        return real(rt, units)

    monkeypatch.setattr(postings, "write_units", racing)
    run = import_payments(runtime, "cvs-agent", payment_file(rows(periods)[:1]))
    item = runtime.records("collection-ledger").get(t1.payment_number)
    assert sorted(item["entries"]) == [next(k for k in item["entries"] if k != "WINDOW"), "WINDOW"]
    assert run.totals["payments_duplicate"] == 1 and balances(runtime)["over-paid"] == 9_800


def test_only_a_registered_sender_of_payments_is_heard(runtime, periods) -> None:
    with pytest.raises(UnknownCounterparty):
        import_payments(runtime, "kokuhoren", payment_file(rows(periods)))
    with pytest.raises(UnknownCounterparty):
        import_payments(runtime, "jyuki-renkei", payment_file(rows(periods)))


def test_a_malformed_file_is_rejected_whole_with_a_report(runtime, periods) -> None:
    content = bytearray(payment_file(rows(periods)))
    content[2 * 120 + 60] = ord("X")  # record 3, inside 金額 (58–67)
    with pytest.raises(FileRejected) as rejected:
        import_payments(runtime, "cvs-agent", bytes(content))
    assert rejected.value.errors[0] == {"record": 3, "position": 58, "field": "amount", "reason": "10 digits expected"}
    assert balances(runtime) == {"posted": 0, "over-paid": 0, "suspense": 0}
    stored = runtime.records("inbound-files").get(_hash(bytes(content)))
    report = runtime.objects("exchange").get(stored["reject_report_key"]).decode()
    assert report.splitlines()[1] == "3,58,amount,10 digits expected"


def _hash(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()
