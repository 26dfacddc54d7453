"""The 期割 hand-over with the assessment workflow (docs/assessment.md "Contract with collection"; docs/collection.md
"Tables"): collection finds each 期 of an `instalments` schedule by its 納付番号 (`payment-slips`), posts its 消込 to
the 期's `paid` under the version it read, and takes the 過誤納 assessment records. Assessment is simulated by
writing its items as its code does (one schedule per person and 年度; `overpayments` with `created_at`)."""

from __future__ import annotations

from datetime import date

from functions.collection.rules.ledger import CANCELLED
from functions.collection.rules.offsets import refund_basis
from functions.collection.rules.refund_interest import Cause, interest_start
from functions.collection.services import postings
from functions.collection.services.payments import import_payments
from functions.collection.services.store import instalments_by_number, instalments_of, take_schedules
from tests.collection.rules_data import instalment, paid
from tests.collection.seed import TARO, payment_file, schedule_id, seed_instalment


def _schedule(runtime) -> dict:
    return runtime.records("instalments").get(schedule_id(TARO, 2025))


def _assessment_writes(runtime, **periods: dict) -> dict:
    """A 更正 as assessment writes it: the periods changed by key, the item at the next version (whole)."""
    schedule = _schedule(runtime)
    schedule["periods"] = [{**p, **periods.get(p["key"], {})} for p in schedule["periods"]]
    schedule["annual_premium"] = sum(p["amount"] for p in schedule["periods"] if p["status"] == "open")
    schedule["version"] += 1
    runtime.records("instalments").put(schedule)
    return schedule


def test_payments_are_posted_to_the_schedules_paid_in_one_update(runtime) -> None:
    """7月 9,800 paid in full, 8月 9,800 paid 5,000: one transaction writes both ledgers and the schedule once."""
    july = seed_instalment(runtime, TARO, 1, 9_800, "2025-07-31")
    august = seed_instalment(runtime, TARO, 2, 9_800, "2025-09-01")
    before = _schedule(runtime)["version"]
    import_payments(runtime, "cvs-agent", payment_file([("R1", july.payment_number, 9_800, "2025-07-30"),
                                                        ("R2", august.payment_number, 5_000, "2025-08-20")]))
    after = _schedule(runtime)
    assert [(p["key"], p["paid"]) for p in after["periods"]] == [("N07", 9_800), ("N09", 5_000)]
    assert after["version"] == before + 1
    assert [i.paid for i in instalments_of(runtime, TARO)] == [9_800, 5_000]


def test_a_correction_written_meanwhile_is_kept_and_the_payment_posted_after_it(runtime, monkeypatch) -> None:
    """Assessment re-makes the schedule between collection's read and its write (8月 raised 9,800 → 12,000): the
    transaction is refused, the 期 read again, and both changes stand — 7月 paid 9,800, 8月's new amount."""
    july = seed_instalment(runtime, TARO, 1, 9_800, "2025-07-31")
    seed_instalment(runtime, TARO, 2, 9_800, "2025-09-01")
    original, calls = postings.load, []

    def load_then_correction(rt, numbers):
        state = original(rt, numbers)
        if not calls:
            _assessment_writes(runtime, N09={"amount": 12_000})
        calls.append(1)
        return state

    monkeypatch.setattr(postings, "load", load_then_correction)
    run = import_payments(runtime, "cvs-agent", payment_file([("R1", july.payment_number, 9_800, "2025-07-30")]))
    assert len(calls) == 2 and run.totals["yen_posted"] == 9_800
    assert [(p["amount"], p["paid"]) for p in _schedule(runtime)["periods"]] == [(9_800, 9_800), (12_000, 0)]


def test_paid_lowered_by_a_correction_stays_lowered(runtime) -> None:
    """10,000 due, 6,500 paid. 更正 (assessment): amount 4,300, paid lowered to 4,300, 2,200 to a 過誤納 record.
    A later 1,000 on that 期 is over-paid whole (4,300 − 4,300 = 0 left) and `paid` stays 4,300. 更正 again to
    8,000 (paid still 4,300): 3,700 is outstanding, not 8,000 − 6,500 = 1,500 — a payment of 3,700 is posted
    whole and `paid` becomes 8,000."""
    period = seed_instalment(runtime, TARO, 1, 10_000, "2025-07-31")
    pay = period.payment_number
    import_payments(runtime, "cvs-agent", payment_file([("R1", pay, 6_500, "2025-07-30")]))
    _assessment_writes(runtime, N07={"amount": 4_300, "paid": 4_300})
    second = import_payments(runtime, "cvs-agent", payment_file([("R2", pay, 1_000, "2025-08-01")],
                                                                created="2025-08-11"))
    assert (second.totals.get("yen_posted", 0), second.totals["yen_over-paid"]) == (0, 1_000)
    assert _schedule(runtime)["periods"][0]["paid"] == 4_300
    _assessment_writes(runtime, N07={"amount": 8_000})
    third = import_payments(runtime, "cvs-agent", payment_file([("R3", pay, 3_700, "2025-08-05")],
                                                               created="2025-08-12"))
    assert (third.totals["yen_posted"], third.totals.get("yen_over-paid", 0)) == (3_700, 0)
    assert _schedule(runtime)["periods"][0]["paid"] == 8_000


def test_slips_follow_the_schedule(runtime) -> None:
    """Taking a schedule again writes nothing; a 更正 that cancels a 期 leaves its slip, but the 期 is not
    collectable, so a payment with that 納付番号 goes to suspense; a new 期 gets a slip."""
    july = seed_instalment(runtime, TARO, 1, 9_800, "2025-07-31")
    assert take_schedules(runtime, [_schedule(runtime)]) == 0
    schedule = _assessment_writes(runtime, N07={"status": CANCELLED})
    schedule["periods"].append({"key": "N10", "method": "ordinary", "stage": "ordinary", "number": 4,
                                "due_date": "2025-10-31", "amount": 9_800, "paid": 0, "status": "open",
                                "levy_year": 2025})
    runtime.records("instalments").put(schedule)
    assert take_schedules(runtime, [schedule]) == 2  # N07's status, and the new N10
    assert not instalments_by_number(runtime, [july.payment_number])[july.payment_number].collectable
    run = import_payments(runtime, "cvs-agent", payment_file([("R1", july.payment_number, 9_800, "2025-07-30")]))
    assert run.totals["payments_suspense"] == 1


def test_refund_basis_of_a_correction_recorded_by_assessment() -> None:
    """Assessment's record has no payment day: the latest payment on a 期 of that 年度 counts — 2024-08-30 on the
    8月 期 due 2024-09-02 — so 還付加算金 runs from 2024-09-03 (the day after the 納期限, 地方税法第17条の4第1項第1号).
    Its twin: with no payment recorded, the day the 更正 was recorded."""
    record = {"overpayment_id": "OP-P1-2024-001", "person_id": "P0000000001", "fiscal_year": 2024, "amount": 5_000,
              "status": "open", "reason": "更正 (所得更正)", "created_at": "2025-10-20T09:00:00+09:00"}
    july = instalment("1", 9_800, "2024-07-31", year=2024)
    august = instalment("2", 9_800, "2024-09-02", year=2024, period=2)
    from functions.collection.rules.ledger import Ledger
    debts = [(july, paid(Ledger("1", "P0000000001"), "R1", 9_800, "2024-07-20")),
             (august, paid(Ledger("2", "P0000000001"), "R2", 9_800, "2024-08-30"))]
    basis = refund_basis(record, debts)
    assert (basis.cause, basis.paid_on, basis.due) == (Cause.CORRECTION, date(2024, 8, 30), date(2024, 9, 2))
    assert interest_start(basis.cause, basis.paid_on, basis.due) == date(2024, 9, 3)
    alone = refund_basis(record, [])
    assert (alone.paid_on, alone.due) == (date(2025, 10, 20), None)
