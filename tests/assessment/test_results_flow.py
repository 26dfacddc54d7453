"""Imports against the embedded AWS: 所得 records, 賦課 results of record with every 更正 kept, the 期割 each
makes or re-makes, the 過誤納 left for collection, and the 突合 list (PIA-I-1-c, PIA-I-1-d, PIA-II-3-b)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from functions.assessment.services.income_import import import_income
from functions.assessment.services.results_import import import_results
from functions.assessment.services.views import levy_history, open_discrepancies, schedule_view
from shared.domain.counterparties import UnknownCounterparty
from shared.domain.fixed_width import FileRefused
from tests.assessment.files import income_file, income_record, result_record, results_file

TARO, HANAKO, ICHIRO, MITSU = "0000000001", "0000000002", "0000000003", "0000000005"
JULY_10 = datetime(2025, 7, 10, 0, 0, tzinfo=UTC)  # 09:00 JST


def pension(no: int, atena: str, receipts: int, income: int) -> str:
    return income_record(no, atena, total=income, pension_receipts=receipts, pension_income=income)


@pytest.fixture
def incomes(runtime, clock):
    """2025 所得: 太郎 年金 200万 (所得 90万), 花子 80万 (0), 一郎 (not insured, not head) 給与, ミツ 180万 (70万)."""
    clock.now = JULY_10
    content = income_file(2025, [pension(1, TARO, 2_000_000, 900_000), pension(2, HANAKO, 800_000, 0),
                                 income_record(3, ICHIRO, total=2_020_000, salary_receipts=3_000_000,
                                               salary_income=2_020_000),
                                 pension(4, MITSU, 1_800_000, 700_000)])
    report = import_income(runtime, "shiminzei-renkei", content, "S1008")
    assert (report.status, report.applied) == ("applied", 4)
    return runtime


def mitsu(version: int, annual: int, *, reason: str = "00", decided: date = date(2025, 7, 1), no: int = 1,
          reduction: str = "2", equal: int = 29_000, income: int = 29_646, base: int = 270_000) -> str:
    return result_record(no, MITSU, insured="10000005", version=version, annual=annual, equal=equal, income=income,
                         reduction=reduction, reason=reason, decided=decided, base=base)


def post_payments(runtime, person: str, until: date) -> None:
    """What the collection workflow does on 消込: `paid` on each 期 due before `until`, at the next version."""
    table = runtime.records("instalments")
    record = table.get(f"P{person}-2025")
    periods = [{**p, "paid": p["amount"]} if p["due_date"] < until.isoformat() else p for p in record["periods"]]
    assert runtime.transact([table.write_item({**record, "periods": periods, "version": record["version"] + 1},
                                              record["schedule_id"], record["version"])])


def amounts(view: dict) -> dict[str, int]:
    return {p["key"]: p["amount"] for p in view["periods"] if p["status"] != "cancelled"}


def test_income_records_are_stored_per_person_and_year(incomes) -> None:
    stored = incomes.records("income-records").get("P0000000001-2025")
    assert (stored["total_income"], stored["pension_receipts"], stored["undeclared"], stored["version"]) == \
        (900_000, 2_000_000, False, 1)
    again = import_income(incomes, "shiminzei-renkei", income_file(2025, [pension(1, TARO, 2_000_000, 900_000),
                                                                         pension(2, HANAKO, 800_000, 0),
                                                                         income_record(3, ICHIRO, total=2_020_000,
                                                                                       salary_receipts=3_000_000,
                                                                                       salary_income=2_020_000),
                                                                         pension(4, MITSU, 1_800_000, 700_000)]))
    assert again.status == "already-applied"


def test_a_strict_sender_with_a_reject_applies_nothing_and_reports_without_values(runtime) -> None:
    content = income_file(2025, [pension(1, TARO, 2_222_222, 1_122_222), pension(2, "0000009999", 800_000, 0)])
    report = import_income(runtime, "shiminzei-renkei", content)
    assert (report.status, report.applied, report.rejects) == (
        "refused", 0, [{"row": 2, "field": "atena_code", "reason": "no person with this 宛名コード"}])
    assert runtime.records("income-records").get("P0000000001-2025") is None
    text = runtime.objects("exchange").get(report.reject_report_key).decode()
    assert list(csv.reader(io.StringIO(text)))[1] == ["2", "atena_code", "no person with this 宛名コード"]
    assert "2222222" not in text and "0000009999" not in text


def test_a_partial_sender_applies_the_valid_records(runtime) -> None:
    content = income_file(2025, [pension(1, TARO, 2_000_000, 900_000), pension(2, "0000009999", 800_000, 0)],
                          newline="\n")
    report = import_income(runtime, "shiminzei-renkei-utf8", content)
    assert (report.status, report.applied, report.rejected) == ("partially-applied", 1, 1)
    assert runtime.records("income-records").get("P0000000001-2025")["total_income"] == 900_000


def test_unregistered_senders_and_unreadable_files_are_refused_before_anything(runtime) -> None:
    content = income_file(2025, [pension(1, TARO, 2_000_000, 900_000)])
    with pytest.raises(UnknownCounterparty):
        import_income(runtime, "kouiki-rengo", content)  # registered, but not for 所得
    with pytest.raises(FileRefused):
        import_income(runtime, "shiminzei-renkei", content[:-124])  # no trailer


def test_the_first_result_makes_the_schedule_and_matches_the_calculator(incomes) -> None:
    # ミツ: 180万 → R7 5割 58,600 (domain-rules.md §2.5); 9 期: 6,600 then 6,500 × 8
    report = import_results(incomes, "kouiki-rengo", results_file(2025, [mitsu(0, 58_600)]), "S1008")
    assert (report.status, report.summary) == ("applied", {"results": 1, "checks_match": 1})
    view = schedule_view(incomes, "P" + MITSU, 2025)
    later = ("N08", "N09", "N10", "N11", "N12", "N01", "N02", "N03")
    assert amounts(view) == {"N07": 6_600, **dict.fromkeys(later, 6_500)}
    assert (view["collection_method"], view["levy_version"], view["overpayment"]) == ("ordinary", 0, 0)
    history = levy_history(incomes, "P" + MITSU)["levies"]
    assert [(h["version"], h["current"], h["check"]["status"]) for h in history] == [(0, True, "match")]


def test_each_correction_is_kept_and_re_makes_the_rest_of_the_year(incomes, clock) -> None:
    import_results(incomes, "kouiki-rengo", results_file(2025, [mitsu(0, 58_600)]))
    post_payments(incomes, MITSU, date(2025, 9, 10))  # July and August paid
    clock.now = datetime(2025, 9, 10, 0, 0, tzinfo=UTC)
    # 更正 to 98,000: 78,400 over October–March: 13,066 → 13,000 × 5; October 13,400
    import_results(incomes, "kouiki-rengo", results_file(2025, [mitsu(1, 98_000, reason="01", decided=date(2025, 9, 9),
                                                                       reduction="3", equal=46_400,
                                                                       income=51_606, base=470_000)]))
    view = schedule_view(incomes, "P" + MITSU, 2025)
    assert amounts(view) == {"N07": 6_600, "N08": 6_500, "N09": 6_500, "N10": 13_400,
                             **dict.fromkeys(("N11", "N12", "N01", "N02", "N03"), 13_000)}
    # 更正 to 17,400 on 10/6 with 7月–9月 paid (19,600): kept 7月–10月 = 33,000; 15,600 too much: October's
    # unpaid 13,400 → 0 (cancelled), then September's paid 6,500 → 4,300; 19,600 − 17,400 = 2,200 過誤納
    post_payments(incomes, MITSU, date(2025, 10, 1))
    clock.now = datetime(2025, 10, 6, 0, 0, tzinfo=UTC)
    report = import_results(incomes, "kouiki-rengo", results_file(
        2025, [mitsu(2, 17_400, reason="05", decided=date(2025, 10, 3), reduction="1", equal=17_400, income=0,
                     base=0)]))
    assert report.summary["overpayments"] == 1
    view = schedule_view(incomes, "P" + MITSU, 2025)
    assert amounts(view) == {"N07": 6_600, "N08": 6_500, "N09": 4_300}
    assert [p["key"] for p in view["periods"] if p["status"] == "cancelled"] == ["N10", "N11", "N12", "N01", "N02",
                                                                                "N03"]
    assert view["overpayment"] == 2_200
    assert [(o["overpayment_id"], o["amount"], o["status"]) for o in view["overpayments"]] == [
        ("OP-P0000000005-2025-002", 2_200, "open")]
    history = levy_history(incomes, "P" + MITSU)["levies"]
    assert [(h["version"], h["annual_premium"], h["current"], h["reason_name"]) for h in history] == [
        (0, 58_600, False, "当初賦課"), (1, 98_000, False, "所得更正"), (2, 17_400, True, "軽減区分変更")]


def test_an_older_result_arriving_late_is_kept_as_history_only(incomes) -> None:
    import_results(incomes, "kouiki-rengo", results_file(2025, [mitsu(0, 58_600), mitsu(2, 58_600, reason="01",
                                                                                       no=2)]))
    before = schedule_view(incomes, "P" + MITSU, 2025)
    report = import_results(incomes, "kouiki-rengo", results_file(2025, [mitsu(1, 98_000, reason="01", equal=46_400,
                                                                               income=51_606)]))
    assert report.summary == {"results": 1, "superseded": 1}
    assert schedule_view(incomes, "P" + MITSU, 2025)["periods"] == before["periods"]


def test_a_result_contradicting_a_stored_one_is_rejected_and_nothing_applied(incomes) -> None:
    import_results(incomes, "kouiki-rengo", results_file(2025, [mitsu(0, 58_600)]))
    report = import_results(incomes, "kouiki-rengo", results_file(
        2025, [mitsu(0, 58_700, income=29_746), result_record(2, TARO, annual=80_600, equal=29_000, income=51_606,
                                                              reduction="2", base=470_000)]))
    assert report.status == "refused"
    assert [asdict_reject["field"] for asdict_reject in report.rejects] == ["version"]
    assert levy_history(incomes, "P" + TARO)["levies"] == []


def test_the_household_is_checked_and_a_discrepancy_listed_with_its_reason(incomes) -> None:
    # 太郎 200万 + 花子 80万, 2 insured, 1 earner → 5割 line 104万 ≥ 75万: 太郎 80,600, 花子 29,000 (test_premium).
    # The 広域連合 says 花子 7割 17,400: listed with the household's 判定所得 and the lines.
    # (花子 of the demo data turns 75 in November 2025; here she was born in 1949, insured all year.)
    hanako = incomes.records("persons").get("P" + HANAKO)
    incomes.records("persons").put({**hanako, "birth_date": "1949-01-05", "eligibility_acquired_on": "2024-01-05"})
    content = results_file(2025, [
        result_record(1, TARO, annual=80_600, equal=29_000, income=51_606, reduction="2", base=470_000),
        result_record(2, HANAKO, insured="10000002", annual=17_400, equal=17_400, income=0, reduction="1")])
    report = import_results(incomes, "kouiki-rengo", content)
    assert report.summary == {"results": 2, "checks_match": 1, "checks_discrepancy": 1}
    listed = open_discrepancies(incomes, 2025, 10, None)
    assert [i["person_id"] for i in listed["items"]] == ["P" + HANAKO]
    findings = {f["field"]: f for f in listed["items"][0]["check"]["findings"]}
    assert (findings["reduction"]["record"], findings["reduction"]["computed"]) == ("70%", "50%")
    assert "750,000円" in findings["reduction"]["reason"] and "5割 1,040,000円以下" in findings["reduction"]["reason"]
    assert (findings["annual_premium"]["record"], findings["annual_premium"]["computed"]) == (17_400, 29_000)


def test_a_correction_that_matches_takes_the_person_off_the_list(incomes) -> None:
    import_results(incomes, "kouiki-rengo", results_file(2025, [mitsu(0, 58_000)]))
    assert [i["person_id"] for i in open_discrepancies(incomes, 2025, 10, None)["items"]] == ["P" + MITSU]
    import_results(incomes, "kouiki-rengo", results_file(2025, [mitsu(1, 58_600, reason="01")]))
    assert open_discrepancies(incomes, 2025, 10, None)["items"] == []


def test_without_the_income_of_a_member_the_check_is_incomplete(runtime, clock) -> None:
    clock.now = JULY_10
    import_results(runtime, "kouiki-rengo", results_file(2025, [mitsu(0, 58_600)]))
    item = open_discrepancies(runtime, 2025, 10, None)["items"][0]
    assert item["check"]["status"] == "incomplete"
    assert "2025年度の所得が届いていない" in item["check"]["findings"][0]["reason"]


def test_a_pension_deduction_gives_special_collection(incomes) -> None:
    incomes.records("pension-deductions").put({
        "deduction_id": "P0000000005-2025", "person_id": "P" + MITSU, "fiscal_year": 2025, "pension_annual": 1_800_000,
        "kaigo_deducted": True, "kaigo_annual": 80_000, "previous_february": 10_000})
    import_results(incomes, "kouiki-rengo", results_file(2025, [mitsu(0, 98_000, income=51_606, reduction="3",
                                                                      equal=46_400, base=470_000)]))
    view = schedule_view(incomes, "P" + MITSU, 2025)
    # 仮 3 × 10,000; 本 (98,000 − 30,000) / 3 → 22,600; October 22,800 (test_instalments)
    assert amounts(view) == {"T04": 10_000, "T06": 10_000, "T08": 10_000, "T10": 22_800, "T12": 22_600,
                             "T02": 22_600}
    assert view["collection_method"] == "special"


def test_discrepancies_come_a_page_at_a_time(incomes) -> None:
    import_results(incomes, "kouiki-rengo", results_file(2025, [
        result_record(1, TARO, annual=100, equal=100), mitsu(0, 100, no=2, equal=100, income=0)]))
    first = open_discrepancies(incomes, 2025, 1, None)
    second = open_discrepancies(incomes, 2025, 1, first["next_cursor"])
    assert [i["person_id"] for i in first["items"] + second["items"]] == ["P" + TARO, "P" + MITSU]
    assert open_discrepancies(incomes, 2025, 1, second["next_cursor"])["items"] == []


def test_an_exemption_is_taken_off_before_the_comparison(incomes) -> None:
    # 58,600 computed; the 広域連合 granted 600 of 減免: a record of 58,000 with 減免額 600 matches
    record = result_record(1, MITSU, insured="10000005", annual=58_000, equal=29_000, income=29_646, reduction="2",
                           base=270_000, exemption=600)
    assert import_results(incomes, "kouiki-rengo", results_file(2025, [record])).summary["checks_match"] == 1
    without = result_record(1, TARO, annual=58_000, equal=29_000, income=29_646, reduction="2", base=270_000)
    plain = import_results(incomes, "kouiki-rengo", results_file(2025, [without]))
    assert "checks_discrepancy" in plain.summary
