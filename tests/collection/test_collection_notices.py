"""The 納付書 and 督促状 printed from collection's records (issue 19): read back from the PDF, audited reads with a
purpose, the 督促 run's 督促状 into the documents bucket one file per chunk, no My Number on paper.

Hand-computed from the test's own 期 for 熊本 太郎 (P0000000001, 被保険者番号 10000001): 令和7年度 普通徴収
第1期 9,800円 due 2025-07-31 = 令和7年7月31日 and 第2期 9,800円 due 2025-09-01 = 令和7年9月1日 (a 特別徴収 期 has no
納付書). Unpaid, 第1期 is dunned 15 days after, on 2025-08-15 = 令和7年8月15日, with the 指定期限 10 days later,
2025-08-25 = 令和7年8月25日 (tests/collection/test_dunning.py).
"""

from __future__ import annotations

from datetime import date

import pytest

from functions.collection.rules.ledger import Method
from functions.collection.services.dunning import run_dunning
from shared.notices.document import document_number
from shared.notices.dunning_notice import DUNNING
from tests.audit_events import audit_events
from tests.collection.seed import TARO, fix_clock, seed_instalment
from tests.notices.pdf import no_my_number, text

CLERK, OFFICER, AUDITOR = "S1001", "S1005", "S1007"
SLIPS = f"/collection/persons/{TARO}/notices/payment-slips"


@pytest.fixture
def periods(runtime, clock):
    fix_clock(clock, "2025-07-15")
    first = seed_instalment(runtime, TARO, 1, 9_800, "2025-07-31")
    second = seed_instalment(runtime, TARO, 2, 9_800, "2025-09-01")
    seed_instalment(runtime, TARO, 1, 4_000, "2025-08-15", method=Method.SPECIAL)
    return runtime, first, second


def test_the_payment_slips_print_each_ordinary_period_with_its_payment_number(periods, api, auth) -> None:
    runtime, first, second = periods
    r = api.get(SLIPS, params={"fiscal_year": 2025, "purpose": "納付書の再発行"}, headers=auth(CLERK))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.headers["cache-control"] == "no-store"
    printed = text(r.content)
    for expected in ("熊本 太郎", "10000001", first.payment_number, second.payment_number, "令和7年7月31日",
                     "令和7年9月1日", "9,800円"):
        assert expected in printed, expected
    assert "4,000" not in printed and "見本" not in printed  # the 特別徴収 期 has no 納付書
    assert no_my_number(r.content)  # 太郎's record holds a My Number
    event = audit_events(runtime, "notice.print")[-1]
    assert (event["staff_id"], event["target"], event["purpose"]) == (CLERK, TARO, "納付書の再発行")
    assert event["detail"]["kind"] == "payment-slip"
    assert api.get(SLIPS, params={"fiscal_year": 2025, "purpose": "再印刷"}, headers=auth(CLERK)).content == r.content


def test_the_dunning_run_prints_its_notices_per_chunk_and_a_reprint_is_the_same_notice(periods, api, auth,
                                                                                        clock) -> None:
    runtime, first, _ = periods
    fix_clock(clock, "2025-08-15")
    report = run_dunning(runtime, date(2025, 8, 15))
    assert report.dunned == 1
    key = "notices/dunning/dunning-20250815/20250731-0000-0000.pdf"
    assert report.notice_files == [key]
    pdf = runtime.objects("documents").get(key)
    printed = text(pdf)
    for expected in ("熊本 太郎", "令和7年7月31日", "9,800円", "令和7年8月25日", "令和7年8月15日", "延滞金",
                     first.payment_number):
        assert expected in printed, expected
    assert "9月1日" not in printed and no_my_number(pdf)  # 第2期 is not due yet
    run_event = audit_events(runtime, "notice.print-run")[-1]
    assert (run_event["target"], run_event["detail"]["notices"]) == ("dunning-20250815", "1")

    again = run_dunning(runtime, date(2025, 8, 15))  # the same day again: no second 督促状, the same file
    assert again.dunned == 0 and runtime.objects("documents").get(key) == pdf

    notice_id = runtime.records("collection-ledger").get(first.payment_number)["dunning"]["notice_id"]
    path = f"/collection/persons/{TARO}/notices/dunning/{notice_id}"
    r = api.get(path, params={"purpose": "督促状の再発行"}, headers=auth(OFFICER))
    assert r.status_code == 200, r.text
    number = document_number(DUNNING, notice_id, date(2025, 8, 15))
    assert r.headers["content-disposition"] == f'attachment; filename="{number}.pdf"'
    assert text(r.content) == printed  # the counter's reprint is the notice the run sent


@pytest.mark.usefixtures("periods")
def test_roles_purpose_and_records_are_checked_without_echo(api, auth) -> None:
    from tests.api.test_errors import assert_problem

    assert_problem(api.get(SLIPS, params={"fiscal_year": 2025}, headers=auth(CLERK)), 422, "validation-failed")
    assert_problem(api.get(SLIPS, params={"fiscal_year": 2025, "purpose": "監査"}, headers=auth(AUDITOR)), 403,
                   "forbidden")
    missing = api.get(SLIPS, params={"fiscal_year": 2024, "purpose": "再発行"}, headers=auth(CLERK))
    assert_problem(missing, 404, "not-found")
    unknown = "DN" + "A" * 18
    path = f"/collection/persons/{TARO}/notices/dunning/{unknown}"
    assert_problem(api.get(path, params={"purpose": "再発行"}, headers=auth(CLERK)), 403, "forbidden")  # no write
    r = api.get(path, params={"purpose": "再発行"}, headers=auth(OFFICER))
    assert_problem(r, 404, "not-found")
    assert unknown not in r.text
