"""消込 (matching.py) and 充当・還付 (offsets.py): every yen of a payment in exactly one place."""

from __future__ import annotations

from datetime import date

from functions.collection.rules.ledger import CANCELLED, EntryKind, Ledger, Method
from functions.collection.rules.matching import Outcome, Receipt, note_preliminary, post_receipt
from functions.collection.rules.offsets import plan_refund
from functions.collection.rules.refund_interest import Cause
from tests.collection.rules_data import instalment, paid

D = date.fromisoformat
TODAY = D("2025-08-10")
FIRST = instalment("100001", 9_800, "2025-07-31")


def receipt(rid: str, amount: int, number: str = "100001", on: str = "2025-07-30") -> Receipt:
    return Receipt(rid, number, amount, D(on), "cvs", "file:1")


def test_a_full_payment_settles_the_period() -> None:
    posting = post_receipt(None, FIRST, receipt("R1", 9_800), TODAY)
    assert posting.outcome is Outcome.POSTED and posting.ledger.outstanding(FIRST) == 0
    assert posting.overpayment is None and posting.suspense is None


def test_partial_then_over_payment_split_to_the_yen() -> None:
    """9,800 due; 5,000 paid, then 6,000: 4,800 posted and 1,200 over-paid (過納)."""
    first = post_receipt(None, FIRST, receipt("R1", 5_000), TODAY)
    assert first.outcome is Outcome.POSTED and first.ledger.outstanding(FIRST) == 4_800
    second = post_receipt(first.ledger, FIRST, receipt("R2", 6_000, on="2025-08-05"), TODAY)
    assert second.outcome is Outcome.OVERPAID
    assert second.ledger.entries["R2"].amount == 4_800 and second.ledger.entries["R2"].excess == 1_200
    assert (second.overpayment["amount"], second.overpayment["cause"]) == (1_200, "over-payment")
    assert second.ledger.entries["R2"].overpayment_id == second.overpayment["overpayment_id"]
    # 5,000 + 6,000 received = 9,800 on the 期 + 1,200 over-paid
    assert second.ledger.covered + second.overpayment["amount"] == 5_000 + 6_000


def test_paying_a_paid_period_again_is_a_duplicate() -> None:
    ledger = post_receipt(None, FIRST, receipt("R1", 9_800), TODAY).ledger
    again = post_receipt(ledger, FIRST, receipt("R9", 9_800, on="2025-07-31"), TODAY)
    assert again.outcome is Outcome.DUPLICATE and again.ledger.entries["R9"].amount == 0
    assert (again.overpayment["amount"], again.overpayment["cause"]) == (9_800, "duplicate")


def test_the_same_receipt_posts_once() -> None:
    ledger = post_receipt(None, FIRST, receipt("R1", 9_800), TODAY).ledger
    assert post_receipt(ledger, FIRST, receipt("R1", 9_800), TODAY).outcome is Outcome.ALREADY_POSTED


def test_an_unknown_number_or_a_moved_period_goes_to_suspense() -> None:
    unknown = post_receipt(None, None, receipt("R1", 9_800, number="999"), TODAY)
    assert unknown.outcome is Outcome.SUSPENSE and unknown.suspense["amount"] == 9_800
    moved = instalment("100001", 9_800, "2025-07-31", status=CANCELLED)
    assert post_receipt(None, moved, receipt("R2", 9_800), TODAY).outcome is Outcome.SUSPENSE


def test_a_preliminary_report_is_noted_then_cancelled_and_never_posted() -> None:
    noted = note_preliminary(None, FIRST, receipt("R1", 9_800), cancelled=False)
    assert noted.provisional == {"R1": 9_800} and noted.covered == 0
    assert note_preliminary(noted, FIRST, receipt("R1", 9_800), cancelled=True).provisional == {}
    final = post_receipt(noted, FIRST, receipt("R1", 9_800), TODAY)  # the 確報 posts and clears it
    assert final.ledger.provisional == {} and final.ledger.covered == 9_800


# --- 充当・還付 ---------------------------------------------------------------------------------------------------
A = instalment("A", 98_000, "2025-07-31", period=1)
B = instalment("B", 49_000, "2025-09-30", period=3)
C = instalment("C", 49_000, "2025-12-25", period=6)  # not yet due on the decision day
SPECIAL = instalment("S", 30_000, "2025-06-13", method=Method.SPECIAL)


def test_an_over_payment_pays_overdue_principal_then_late_fees_then_is_refunded() -> None:
    """160,000 over-paid (更正 decrease of a premium paid 2024-07-31), decided 2025-10-31:
    principal A 98,000 (納期限 7/31) and B 49,000 (9/30); C (12/25) is not due: left 13,000.
    延滞金 of A, paid off by the 充当 on 10/31: 8/1–8/31 98,000 × 2.4% × 31 = 72,912; 9/1–10/31 98,000 × 8.7% × 61
    = 520,086; 593,000 / 365 = 1,624.66 → 1,600. B: 10/1–10/31 49,000 × 2.4% × 31 / 365 = 99.88 → 0.
    Refund 13,000 − 1,600 = 11,400.
    還付加算金 (第1号, from 2024-08-01): 2024 153 d × 0.9% × 160,000 = 220,320; 2025 304 d: 437,760;
    658,080 / 365 = 1,802.96 → 1,800."""
    debts = [(A, Ledger("A", "P1")), (B, Ledger("B", "P1")), (C, Ledger("C", "P1")), (SPECIAL, Ledger("S", "P1"))]
    plan = plan_refund(160_000, Cause.CORRECTION, D("2024-07-31"), D("2024-07-31"), debts, D("2025-10-31"))
    assert [o.as_json() for o in plan.offsets] == [{"payment_number": "A", "principal": 98_000, "late_fee": 1_600},
                                                   {"payment_number": "B", "principal": 49_000, "late_fee": 0}]
    assert plan.refund == 11_400 and plan.interest.interest == 1_800
    assert plan.offset_total + plan.refund == 160_000


def test_an_over_payment_smaller_than_the_debt_is_all_offset() -> None:
    plan = plan_refund(50_000, Cause.DUPLICATE, D("2025-10-01"), None, [(A, Ledger("A", "P1"))], D("2025-10-31"))
    assert [o.as_json() for o in plan.offsets] == [{"payment_number": "A", "principal": 50_000, "late_fee": 0}]
    assert plan.refund == 0


def test_partly_paid_periods_are_offset_for_what_is_left_only() -> None:
    ledger = paid(Ledger("A", "P1"), "R1", 90_000, "2025-08-20")
    plan = plan_refund(20_000, Cause.DUPLICATE, D("2025-10-01"), None, [(A, ledger)], D("2025-10-31"))
    assert plan.offsets[0].principal == 8_000 and plan.refund == 12_000 - plan.offsets[0].late_fee


def test_a_written_off_or_special_period_bears_no_late_fee() -> None:
    written_off = paid(Ledger("A", "P1"), "W1", 98_000, "2025-10-01", EntryKind.WRITE_OFF)
    assert written_off.late_fee(A, D("2026-01-01")).late_fee == 0
    assert Ledger("S", "P1").late_fee(SPECIAL, D("2026-01-01")).late_fee == 0


def test_the_ledger_late_fee_follows_its_payments() -> None:
    """98,000 due 7/31; 50,000 received 9/30, the rest 12/26 → 1,800 (the partial-payment case of
    test_late_fee: 692,004 / 365 = 1,895.90)."""
    ledger = paid(paid(Ledger("A", "P1"), "R1", 50_000, "2025-09-30"), "R2", 48_000, "2025-12-26")
    assert ledger.outstanding(A) == 0 and ledger.late_fee(A, D("2026-05-01")).late_fee == 1_800
    ledger = ledger.__class__(**{**ledger.__dict__, "late_fee_paid": {"OP1": 800}})
    assert ledger.late_fee_due(A, D("2026-05-01")) == 1_000
