"""特別徴収: 対象者 notices judged, the 依頼 file, results posted, a failed deduction moved to 普通徴収."""

from __future__ import annotations

from datetime import date

import pytest

from functions.collection.rules.ledger import CANCELLED, OPEN, Method
from functions.collection.rules.pension_files import Kind, PensionRecord, build_pension_file, parse_pension_file
from functions.collection.services.payments import import_payments
from functions.collection.services.pension import (
    import_pension_results,
    import_pension_targets,
    write_pension_request,
)
from functions.collection.services.store import instalments_of
from tests.collection.seed import TARO, fix_clock, payment_file, seed_instalment

PAY_DAYS = ["2025-04-15", "2025-06-13", "2025-08-15", "2025-10-15", "2025-12-15", "2026-02-13"]


def target(kana: str, birth: str, sex: str, pension: int, kaigo: int, basic: str = "1234567890") -> PensionRecord:
    return PensionRecord(basic, "1150", date.fromisoformat(birth), sex, kana, "001", amounts=(pension, kaigo, 0))


@pytest.fixture
def specials(runtime, clock):
    """TARO: six 特別徴収 期 of 10,000 (annual 60,000) on the pension days of 2025."""
    fix_clock(clock, "2025-05-20")
    return [seed_instalment(runtime, TARO, n, 10_000, day, method=Method.SPECIAL)
            for n, day in enumerate(PAY_DAYS, start=1)]


def _targets(runtime, *records: PensionRecord):
    return import_pension_targets(runtime, "kokuhoren", build_pension_file(Kind.TARGETS, date(2025, 5, 20), "43100",
                                                                          list(records)))


def test_targets_are_matched_and_judged(runtime, specials) -> None:
    """TARO: pension 1,800,000, 介護 60,000 + 後期 60,000 = 120,000 ≤ 900,000 → a target.
    A notice matching no resident goes to the unmatched report."""
    run = _targets(runtime, target("ｸﾏﾓﾄ ﾀﾛｳ", "1948-05-10", "1", 1_800_000, 60_000),
                   target("ｿﾝｻﾞｲ ｼﾅｲ", "1940-01-01", "2", 1_000_000, 50_000, "9999999999"))
    assert run.totals == {"matched": 1, "targets": 1, "unmatched": 1}
    notice = runtime.records("pension-notices").query("by-person", "person_id", TARO)[0]
    assert (notice["kouki_annual"], notice["target"]) == (60_000, True)


def test_the_request_asks_for_the_three_autumn_to_winter_deductions(runtime, specials) -> None:
    _targets(runtime, target("ｸﾏﾓﾄ ﾀﾛｳ", "1948-05-10", "1", 1_800_000, 60_000))
    request = write_pension_request(runtime, 2025, date(2025, 7, 10))
    parsed = parse_pension_file(runtime.objects("exchange").get(request["key"]), Kind.REQUEST)
    assert [(r.basic_pension_number, r.category, r.amounts) for r in parsed.records] == [
        ("1234567890", "01", (10_000, 10_000, 10_000))]


def test_over_the_half_rule_moves_the_person_to_ordinary_collection(runtime, specials, clock) -> None:
    """pension 200,000; 介護 45,000 + 後期 60,000 = 105,000 > 100,000: not a target → all six 期 move."""
    _targets(runtime, target("ｸﾏﾓﾄ ﾀﾛｳ", "1948-05-10", "1", 200_000, 45_000))
    fix_clock(clock, "2025-06-01")
    request = write_pension_request(runtime, 2025, date(2025, 6, 1))
    assert (request["requests"], request["moved_to_ordinary"]) == (0, 1)
    ordinary = [i for i in instalments_of(runtime, TARO) if i.status == OPEN]
    assert all(i.method is Method.ORDINARY for i in ordinary) and sum(i.amount for i in ordinary) == 60_000


def _result(runtime, on: str, outcome: str, amount: int, created: str):
    record = PensionRecord("1234567890", "1150", date(1948, 5, 10), "1", "ｸﾏﾓﾄ ﾀﾛｳ", "001", outcome=outcome,
                           on=date.fromisoformat(on), amounts=(amount, 0, 0))
    return import_pension_results(runtime, "kokuhoren", build_pension_file(Kind.RESULT, date.fromisoformat(created),
                                                                          "43100", [record]))


def test_deducted_posts_and_a_failure_moves_the_rest_of_the_year(runtime, specials, clock) -> None:
    """October deducted (10,000 posted to the 10/15 期). December 不能, known 2025-12-20: the 12月 and 2月 期
    (20,000) move to 普通徴収 on the 納期 at least 20 days later — 2026-02-02, 03-02, 03-31 —
    20,000 / 3 = 6,666 → 6,600 each, the first 20,000 − 13,200 = 6,800."""
    _targets(runtime, target("ｸﾏﾓﾄ ﾀﾛｳ", "1948-05-10", "1", 1_800_000, 60_000))
    fix_clock(clock, "2025-11-10")
    assert _result(runtime, "2025-10-15", "00", 10_000, "2025-11-10").totals["yen_posted"] == 10_000
    fix_clock(clock, "2025-12-20")
    assert _result(runtime, "2025-12-15", "01", 0, "2025-12-20").totals["pension_stopped"] == 1
    periods = instalments_of(runtime, TARO)
    moved = [i.due_date.isoformat() for i in periods if i.status == CANCELLED]
    assert moved == ["2025-12-15", "2026-02-13"]
    new = [(i.due_date.isoformat(), i.amount) for i in periods if i.method is Method.ORDINARY]
    assert sorted(new) == [("2026-02-02", 6_800), ("2026-03-02", 6_600), ("2026-03-31", 6_600)]
    assert sum(i.amount for i in periods if i.status == OPEN) == 60_000  # the year's premium is whole
    # a payment with the moved 期's 納付番号 cannot be posted to it: suspense
    run = import_payments(runtime, "cvs-agent", payment_file([("R1", specials[4].payment_number, 10_000,
                                                               "2025-12-22")], created="2025-12-24"))
    assert run.totals["payments_suspense"] == 1
    # the same result file again moves nothing twice
    assert _result(runtime, "2025-12-15", "01", 0, "2025-12-20").status == "already-applied"


def test_a_result_for_an_unknown_pension_is_rejected(runtime, specials) -> None:
    from shared.domain.fixed_width import FileRejected

    with pytest.raises(FileRejected) as rejected:
        _result(runtime, "2025-10-15", "00", 10_000, "2025-11-10")  # no 対象者 notice was received
    assert rejected.value.errors[0]["field"] == "basic_pension_number"

