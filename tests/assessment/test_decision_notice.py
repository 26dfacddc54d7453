"""The 保険料額決定通知書兼納入通知書 printed from a person's result of record and its 期割 (issue 19): read back
from the PDF, an audited read with a purpose, the preview command, no My Number on paper.

Hand-computed from the test's own result for 天草 ミツ (P0000000005, 被保険者番号 10000005): 令和7年度, 決定日
2025-07-01 = 令和7年7月1日, 年額 58,600円, 均等割 29,000円 after 5割軽減 (code 2), 所得割 29,646円, 賦課基礎
270,000円, 12か月. With no 特徴年金情報 she pays 普通徴収 in nine 期 from July (100円 units, the remainder in 第1期):
6,600 + 8 × 6,500 = 58,600. 納期限 are month ends moved to the next business day: 第1期 2025-07-31 (Thu) =
令和7年7月31日, 第2期 2025-08-31 (Sun) → 令和7年9月1日, 第9期 2026-03-31 (Tue) = 令和8年3月31日.
A 更正 to 98,000円 (更正回数 1, 所得割 69,000円, 決定日 2025-09-09) prints as a 変更通知書 with 変更前 58,600円.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from functions.assessment.services.results_import import import_results
from shared.notices.document import document_number
from shared.notices.premium_notice import PREMIUM_DECISION
from tests.assessment.files import result_record, results_file
from tests.audit_events import audit_events
from tests.notices.pdf import has_row, no_my_number, text, text_lines

MITSU, CLERK, AUDITOR = "P0000000005", "S1001", "S1007"
PATH = f"/assessment/persons/{MITSU}/notices/decision"


def result(version: int, annual: int, *, decided: date = date(2025, 7, 1), reason: str = "00",
           income: int = 29_646) -> str:
    return result_record(version + 1, MITSU[1:], insured="10000005", version=version, annual=annual, equal=29_000,
                         income=income, reduction="2", reason=reason, decided=decided, base=270_000)


@pytest.fixture
def levied(runtime, clock):
    clock.now = datetime(2025, 7, 10, 0, 0, tzinfo=UTC)
    report = import_results(runtime, "kouiki-rengo", results_file(2025, [result(0, 58_600)]))
    assert report.applied == 1
    return runtime


def test_the_notice_prints_the_result_of_record_and_its_instalments(levied, api, auth) -> None:
    r = api.get(PATH, params={"fiscal_year": 2025, "purpose": "再発行（紛失）"}, headers=auth(CLERK))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.headers["cache-control"] == "no-store"
    number = document_number(PREMIUM_DECISION, f"levies/{MITSU}/2025#000", date(2025, 7, 1))
    assert r.headers["content-disposition"] == f'attachment; filename="{number}.pdf"'
    lines, printed = text_lines(r.content), text(r.content)
    assert "天草 ミツ　様" in lines and number in printed and "見本" not in printed
    assert "令和7年度 後期高齢者医療保険料額決定通知書 兼 納入通知書" in printed
    assert has_row(lines, ("被保険者番号", "10000005"))
    assert has_row(lines, ("賦課のもととなる所得金額", "270,000円"))
    assert has_row(lines, ("均等割額", "29,000円（5割軽減後）"))
    assert has_row(lines, ("所得割額", "29,646円"))
    assert has_row(lines, ("年間保険料額", "58,600円")) and has_row(lines, ("決定年月日", "令和7年7月1日"))
    assert has_row(lines, ("第1期", "令和7年7月31日", "普通徴収（納付書・口座振替）", "6,600"))
    assert has_row(lines, ("第2期", "令和7年9月1日", "普通徴収（納付書・口座振替）", "6,500"))
    assert has_row(lines, ("第9期", "令和8年3月31日", "普通徴収（納付書・口座振替）", "6,500"))
    assert has_row(lines, ("合計", "58,600"))
    assert no_my_number(r.content)  # ミツ's record holds a My Number
    event = audit_events(levied, "notice.print")[-1]
    assert (event["staff_id"], event["target"], event["purpose"]) == (CLERK, MITSU, "再発行（紛失）")
    assert event["detail"] == {"kind": "premium-decision", "record": f"levies/{MITSU}/2025#000",
                               "document_number": number}
    again = api.get(PATH, params={"fiscal_year": 2025, "purpose": "再印刷"}, headers=auth(CLERK))
    assert again.content == r.content  # the same record prints the same notice


def test_a_correction_prints_as_a_change_notice_with_the_amount_it_replaced(levied, api, auth, clock) -> None:
    clock.now = datetime(2025, 9, 10, 0, 0, tzinfo=UTC)
    report = import_results(levied, "kouiki-rengo", results_file(2025, [
        result(1, 98_000, decided=date(2025, 9, 9), reason="01", income=69_000)]))
    assert report.applied == 1
    r = api.get(PATH, params={"fiscal_year": 2025, "purpose": "更正の通知"}, headers=auth(CLERK))
    lines = text_lines(r.content)
    assert "令和7年度 後期高齢者医療保険料額変更通知書 兼 納入通知書" in lines
    assert has_row(lines, ("変更前の年間保険料額", "58,600円")) and has_row(lines, ("年間保険料額", "98,000円"))
    assert has_row(lines, ("決定年月日", "令和7年9月9日")) and has_row(lines, ("合計", "98,000"))


def test_purpose_role_and_record_are_required(levied, api, auth) -> None:
    from tests.api.test_errors import assert_problem

    assert_problem(api.get(PATH, params={"fiscal_year": 2025}, headers=auth(CLERK)), 422, "validation-failed")
    assert_problem(api.get(PATH, params={"fiscal_year": 2025, "purpose": "監査"}, headers=auth(AUDITOR)), 403,
                   "forbidden")
    missing = api.get(PATH, params={"fiscal_year": 2024, "purpose": "再発行"}, headers=auth(CLERK))
    assert_problem(missing, 404, "not-found")
    assert "2024" not in missing.text  # no echo of what was asked
    other = "/assessment/persons/P0000000001/notices/decision"
    assert_problem(api.get(other, params={"fiscal_year": 2025, "purpose": "再発行"}, headers=auth(CLERK)), 404,
                   "not-found")
    assert not [e for e in audit_events(levied, "notice.print") if e["outcome"] != "success"]


def test_the_preview_command_prints_the_persons_own_notice(levied, state_dir, monkeypatch, tmp_path) -> None:
    from shared.cli.main import main
    from tests.conftest import env_for

    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    output = tmp_path / "decision.pdf"
    assert main(["notice", "render", "--kind", "premium-decision", "--person", MITSU, "--output", str(output)]) == 0
    lines = text_lines(output.read_bytes())
    assert "見本" not in lines and has_row(lines, ("年間保険料額", "58,600円"))
    assert has_row(lines, ("第1期", "令和7年7月31日", "普通徴収（納付書・口座振替）", "6,600"))
