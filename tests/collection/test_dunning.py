"""The daily arrears and 督促 run: who is dunned, when, once, with print data for the 督促状."""

from __future__ import annotations

import json
from datetime import date

from functions.collection.rules.ledger import Method
from functions.collection.rules.payment_file import Channel
from functions.collection.services.dunning import run_dunning
from functions.collection.services.payments import import_payments
from tests.collection.seed import HANAKO, TARO, fix_clock, payment_file, seed_instalment

JIRO = "P0000000004"
D = date.fromisoformat


def _seed(runtime, clock):
    fix_clock(clock, "2025-08-01")
    taro = seed_instalment(runtime, TARO, 1, 9_800, "2025-07-31")
    hanako = seed_instalment(runtime, HANAKO, 1, 5_000, "2025-07-31")
    seed_instalment(runtime, TARO, 2, 9_800, "2025-07-31", method=Method.SPECIAL)
    jiro = seed_instalment(runtime, JIRO, 1, 9_800, "2025-07-31")
    import_payments(runtime, "cvs-agent", payment_file([("R1", hanako.payment_number, 5_000, "2025-07-31")]))
    import_payments(runtime, "cvs-agent", payment_file([("R2", jiro.payment_number, 9_800, "2025-07-31")],
                                                       Channel.CVS_PRELIMINARY))
    return taro


def test_the_day_after_the_due_date_unpaid_periods_become_arrears(runtime, clock) -> None:
    taro = _seed(runtime, clock)
    report = run_dunning(runtime, D("2025-08-01"))
    assert (report.arrears, report.dunned) == (1, 0)  # TARO's ordinary 期 (JIRO's ledger exists: a 速報 on it)
    unpaid = runtime.records("collection-ledger").query("by-unpaid", "unpaid_year", "2025")
    assert sorted(u["person_id"] for u in unpaid) == [TARO, JIRO]  # paid HANAKO and the 特別徴収 期 are not
    assert taro.payment_number in {u["payment_number"] for u in unpaid}


def test_a_dunning_notice_goes_out_15_days_after_and_only_once(runtime, clock) -> None:
    taro = _seed(runtime, clock)
    assert run_dunning(runtime, D("2025-08-14")).dunned == 0  # 14 days: not yet
    report = run_dunning(runtime, D("2025-08-15"))
    assert (report.dunned, report.late) == (1, 0)
    lines = [json.loads(x) for x in runtime.objects("exchange").get(report.notice_keys[0]).decode().splitlines()]
    assert [(n["notice"], n["person_id"], n["name"], n["unpaid"], n["deadline"]) for n in lines] == [
        ("督促状", TARO, "熊本 太郎", 9_800, "2025-08-25")]
    again = run_dunning(runtime, D("2025-08-15"))  # the same day again: no second notice, the print data kept
    assert again.dunned == 0
    assert runtime.objects("exchange").get(again.notice_keys[0]) == runtime.objects("exchange").get(
        report.notice_keys[0])
    assert run_dunning(runtime, D("2025-08-16")).dunned == 0
    ledger = runtime.records("collection-ledger").get(taro.payment_number)
    assert ledger["dunning"]["issued_on"] == "2025-08-15"


def test_a_missed_run_still_dunns_within_20_days_and_reports_none_late(runtime, clock) -> None:
    _seed(runtime, clock)
    report = run_dunning(runtime, D("2025-08-20"))  # the runs of 8/15–8/19 did not happen
    assert (report.dunned, report.late) == (1, 0)


def test_a_payment_before_the_run_means_no_notice(runtime, clock) -> None:
    taro = _seed(runtime, clock)
    import_payments(runtime, "cvs-agent", payment_file([("R3", taro.payment_number, 9_800, "2025-08-05")],
                                                       created="2025-08-12"))
    assert run_dunning(runtime, D("2025-08-15")).dunned == 0
