"""The 還付・充当通知書 printed from a posted 充当・還付 decision (issue 19): read back from the PDF, an audited read
with a purpose limited to collection officers, the preview command, no My Number on paper.

Hand-computed, the over-payment of tests/collection/test_refunds.py: 熊本 太郎 (P0000000001, 被保険者番号
10000001) over-paid 160,000円 by a 更正 of 2024; today 2025-10-31 = 令和7年10月31日 he owes 令和7年度 第1期 98,000円
(due 7/31, 延滞金 1,600円) and 第3期 49,000円 (due 9/30). The decision applies 98,000 + 1,600 + 49,000 = 148,600円
and refunds 160,000 − 148,600 = 11,400円 with 還付加算金 1,800円 (160,000 × 0.9% × 457 / 365 = 1,802.96 → 1,800,
100円未満切捨て), 11,400 + 1,800 = 13,200円 paid to the named account ****321.
"""

from __future__ import annotations

from datetime import date

import pytest

from functions.collection.services.settle import settle
from shared.notices.document import document_number
from shared.notices.refund_notice import REFUND
from tests.audit_events import audit_events
from tests.collection.seed import TARO, fix_clock, seed_instalment
from tests.notices.pdf import has_row, no_my_number, text, text_lines

CLERK, CHECKER, OFFICER, AUDITOR = "S1001", "S1003", "S1005", "S1007"
OP = "OPASSESSMENT0001"
PATH = f"/collection/persons/{TARO}/notices/refund/{OP}"
BANK = {"bank_code": "0182", "branch_code": "023", "account_type": "1", "account_number": "7654321",
        "holder_kana": "クマモト タロウ"}
VALID_MY_NUMBER = "123456789018"  # check digit 8 (tests/notices/test_renderer.py)


@pytest.fixture
def overpaid(runtime, clock):
    fix_clock(clock, "2025-10-31")
    seed_instalment(runtime, TARO, 1, 98_000, "2025-07-31")
    seed_instalment(runtime, TARO, 3, 49_000, "2025-09-30")
    seed_instalment(runtime, TARO, 6, 49_000, "2025-12-25")
    runtime.records("overpayments").put_new({
        "overpayment_id": OP, "person_id": TARO, "fiscal_year": 2024, "amount": 160_000, "cause": "correction",
        "paid_on": "2024-07-31", "due_date": "2024-07-31", "arose_on": "2025-10-20", "source": "assessment",
        "status": "open", "created_at": "2025-10-20T09:00:00+09:00", "version": 1})
    return runtime


def _decide(api, auth, runtime, body) -> None:
    proposed = api.post(f"/collection/overpayments/{OP}/decision", headers=auth(OFFICER), json=body)
    assert proposed.status_code == 202, proposed.text
    confirmed = api.post(f"/collection/changes/{proposed.json()['request_id']}/confirm", headers=auth(CHECKER))
    assert confirmed.status_code == 200, confirmed.text


@pytest.fixture
def settled(overpaid, api, auth):
    _decide(api, auth, overpaid, {"account": "named", "bank": BANK, "reason": "還付請求書の受付"})
    assert settle(overpaid) == {"refund-decision-refund-ready": 1}
    return overpaid


def test_the_notice_prints_the_posted_offsets_and_refund(settled, api, auth) -> None:
    r = api.get(PATH, params={"purpose": "還付・充当の通知"}, headers=auth(OFFICER))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.headers["cache-control"] == "no-store"
    number = document_number(REFUND, f"overpayments/{OP}", date(2025, 10, 31))
    assert r.headers["content-disposition"] == f'attachment; filename="{number}.pdf"'
    lines, printed = text_lines(r.content), text(r.content)
    assert "熊本 太郎　様" in lines and number in printed and "見本" not in printed
    assert "後期高齢者医療保険料 還付・充当通知書" in lines
    assert has_row(lines, ("被保険者番号", "10000001"))
    assert has_row(lines, ("過誤納金額", "160,000円")) and has_row(lines, ("決定年月日", "令和7年10月31日"))
    assert has_row(lines, ("発生の理由", "保険料の減額更正（賦課の更正）"))
    assert has_row(lines, ("令和7年度", "第1期", "98,000", "1,600"))  # principal, then its 延滞金
    assert has_row(lines, ("令和7年度", "第3期", "49,000", "0"))
    assert has_row(lines, ("合計", "147,000", "1,600"))  # 98,000 + 49,000; 1,600 + 0
    assert has_row(lines, ("還付額", "11,400円"))  # 160,000 − (147,000 + 1,600)
    assert has_row(lines, ("還付加算金", "1,800円"))
    assert has_row(lines, ("お支払いする額", "13,200円"))  # 11,400 + 1,800
    assert "****321" in printed and "7654321" not in printed  # only the masked account
    assert "49,000" not in "".join(line for line in lines if "第6期" in line)  # 第6期 is not due: not offset
    assert no_my_number(r.content)  # 太郎's record holds a My Number
    event = audit_events(settled, "notice.print")[-1]
    assert (event["staff_id"], event["target"], event["purpose"]) == (OFFICER, TARO, "還付・充当の通知")
    assert event["detail"] == {"kind": "refund", "record": f"overpayments/{OP}", "document_number": number}
    again = api.get(PATH, params={"purpose": "再発行"}, headers=auth(OFFICER))
    assert again.content == r.content  # the same decision prints the same notice


def test_a_refund_that_waited_for_an_account_keeps_the_offsets_made_before(overpaid, api, auth) -> None:
    _decide(api, auth, overpaid, {"account": "awaiting", "reason": "口座未届"})
    assert settle(overpaid) == {"refund-decision-refund-awaiting-account": 1}
    waiting = text_lines(api.get(PATH, params={"purpose": "還付請求書の依頼"}, headers=auth(OFFICER)).content)
    assert has_row(waiting, ("振込先", "未登録（同封の還付請求書を提出してください）"))
    assert has_row(waiting, ("お支払いする額", "13,200円"))
    _decide(api, auth, overpaid, {"account": "named", "bank": BANK, "reason": "還付請求書"})
    assert settle(overpaid) == {"refund-decision-refund-ready": 1}
    lines = text_lines(api.get(PATH, params={"purpose": "振込先の通知"}, headers=auth(OFFICER)).content)
    # the second decision posts no 充当 of its own; the notice still lists those the first one made
    assert has_row(lines, ("令和7年度", "第1期", "98,000", "1,600")) and has_row(lines, ("還付額", "11,400円"))
    assert any("****321" in line for line in lines)


def test_an_offset_only_decision_is_a_juto_notice(runtime, clock, api, auth) -> None:
    """1,500円 over-paid against 第1期 98,000円 unpaid: all of it is applied (1,500 < 98,000), nothing refunded and,
    under 2,000円, no 還付加算金 (地方税法第17条の4 as applied, rules/refund_interest.py MIN_REFUND)."""
    fix_clock(clock, "2025-10-31")
    seed_instalment(runtime, TARO, 1, 98_000, "2025-07-31")
    runtime.records("overpayments").put_new({
        "overpayment_id": OP, "person_id": TARO, "fiscal_year": 2025, "amount": 1_500, "cause": "duplicate",
        "paid_on": "2025-08-01", "arose_on": "2025-08-01", "source": "collection", "status": "open",
        "created_at": "2025-08-01T09:00:00+09:00", "version": 1})
    _decide(api, auth, runtime, {"account": "awaiting", "reason": "充当のみ"})
    assert settle(runtime) == {"refund-decision-offset": 1}
    lines = text_lines(api.get(PATH, params={"purpose": "充当の通知"}, headers=auth(OFFICER)).content)
    assert "後期高齢者医療保険料 充当通知書" in lines
    assert has_row(lines, ("令和7年度", "第1期", "1,500", "0"))
    assert has_row(lines, ("発生の理由", "同じ期の重複した納付（誤納）"))
    assert not any(line.startswith("還付額") or line == "お支払いする額" for line in lines)


def test_only_collection_officers_may_print_it(settled, api, auth) -> None:
    from tests.api.test_errors import assert_problem

    for staff in (CLERK, CHECKER, AUDITOR):  # may read an account (checker) but not print the notice
        assert_problem(api.get(PATH, params={"purpose": "確認"}, headers=auth(staff)), 403, "forbidden")
    assert api.get(PATH, params={"purpose": "確認"}, headers=auth(OFFICER)).status_code == 200  # twin
    assert audit_events(settled, "notice.print")[-1]["staff_id"] == OFFICER  # the refused ones left no print


def test_a_print_needs_a_purpose(settled, api, auth) -> None:
    from tests.api.test_errors import assert_problem

    before = len(audit_events(settled, "notice.print"))
    assert_problem(api.get(PATH, headers=auth(OFFICER)), 422, "validation-failed")
    assert len(audit_events(settled, "notice.print")) == before  # nothing printed, nothing recorded
    assert api.get(PATH, params={"purpose": "再発行"}, headers=auth(OFFICER)).status_code == 200  # twin
    assert len(audit_events(settled, "notice.print")) == before + 1


def test_another_persons_or_an_unknown_over_payment_is_404_without_echo(settled, api, auth) -> None:
    from tests.api.test_errors import assert_problem

    other = api.get(f"/collection/persons/P0000000002/notices/refund/{OP}", params={"purpose": "確認"},
                    headers=auth(OFFICER))
    assert_problem(other, 404, "not-found")
    assert OP not in other.text and "P0000000002" not in other.text
    unknown = api.get(f"/collection/persons/{TARO}/notices/refund/OPNOSUCHTHING", params={"purpose": "確認"},
                      headers=auth(OFFICER))
    assert_problem(unknown, 404, "not-found")
    assert "OPNOSUCHTHING" not in unknown.text
    assert api.get(PATH, params={"purpose": "確認"}, headers=auth(OFFICER)).status_code == 200  # twin: his own


def test_a_decision_not_yet_posted_prints_nothing(overpaid, api, auth) -> None:
    from tests.api.test_errors import assert_problem

    assert_problem(api.get(PATH, params={"purpose": "確認"}, headers=auth(OFFICER)), 409, "refund-not-settled")
    _decide(api, auth, overpaid, {"account": "named", "bank": BANK, "reason": "還付請求書の受付"})  # confirmed …
    assert_problem(api.get(PATH, params={"purpose": "確認"}, headers=auth(OFFICER)), 409, "refund-not-settled")
    settle(overpaid)  # … and posted: twin
    assert api.get(PATH, params={"purpose": "確認"}, headers=auth(OFFICER)).status_code == 200


def test_a_my_number_that_reached_the_notice_stops_the_print(settled, api, auth) -> None:
    from tests.api.test_errors import assert_problem

    persons = settled.records("persons")
    person = persons.get(TARO)
    persons.put({**person, "address": f"熊本市中央区手取本町 {VALID_MY_NUMBER}", "mailing_address": None})
    refused = api.get(PATH, params={"purpose": "確認"}, headers=auth(OFFICER))
    assert_problem(refused, 422, "my-number-in-notice")
    assert VALID_MY_NUMBER not in refused.text
    persons.put({**person, "address": "熊本市中央区手取本町 123456789010", "mailing_address": None})
    printed = api.get(PATH, params={"purpose": "確認"}, headers=auth(OFFICER))  # twin: wrong check digit prints
    assert printed.status_code == 200 and "123456789010" in text(printed.content)


def test_the_preview_command_prints_the_persons_own_notice(settled, state_dir, monkeypatch, tmp_path) -> None:
    from shared.cli.main import main
    from tests.conftest import env_for

    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    output = tmp_path / "refund.pdf"
    assert main(["notice", "render", "--kind", "refund", "--person", TARO, "--output", str(output)]) == 0
    lines = text_lines(output.read_bytes())
    assert "見本" not in lines and has_row(lines, ("お支払いする額", "13,200円"))
    assert main(["notice", "render", "--kind", "refund", "--person", "P0000000002", "--output",
                 str(tmp_path / "sample.pdf")]) == 0  # twin: a person without a decision gets the sample
    assert "見本" in text((tmp_path / "sample.pdf").read_bytes())
