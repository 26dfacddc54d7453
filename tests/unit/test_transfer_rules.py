"""The transfer workflow's pure rules: approvals, periods, layouts (hand-computed)."""

from __future__ import annotations

from datetime import date

import pytest

from functions.transfer.rules.approvals import ApprovalRefused, check_approval, validate_approval
from functions.transfer.rules.jobs import JOBS, KOUIKI_EVENT_CODES, Column, job
from functions.transfer.rules.layouts import FieldTooLong, encode_rows, fixed_field
from functions.transfer.rules.periods import due_periods, period_of
from shared.domain.person import InvalidChange

DAILY = job("kouiki-daily")
assert DAILY is not None


def _approval(**overrides):
    values = {"recipient": "kouiki-rengo", "legal_basis": "高確法第48条", "purpose": "資格管理", "conditions": "専用線",
              "valid_from": "2026-01-01", "valid_to": "2026-12-31", "fields": list(DAILY.fields),
              "jobs": ["kouiki-daily"], "frequency": "daily", "status": "active", "approval_id": "DUA1"}
    return {**values, **overrides}


def test_a_complete_request_is_valid() -> None:
    values = _approval()
    values.pop("approval_id")
    validate_approval(values)


@pytest.mark.parametrize("overrides, message", [
    ({"legal_basis": " "}, "legal_basis is required"),
    ({"purpose": ""}, "purpose is required"),
    ({"valid_to": "2025-12-31"}, "before valid_from"),
    ({"valid_to": "2032-01-02"}, "at most 5 years"),
    ({"jobs": ["shiminzei-annual"]}, "not a transfer job to kouiki-rengo"),
    ({"fields": ["name", "bank_account"]}, "bank_account"),
    ({"recipient": "somewhere"}, "recipient is one of"),
    ({"frequency": "hourly"}, "frequency"),
])
def test_an_incomplete_or_wrong_request_is_refused(overrides, message) -> None:
    values = _approval(**overrides)
    values.pop("approval_id")
    with pytest.raises(InvalidChange, match=message):
        validate_approval(values)


@pytest.mark.parametrize("overrides, today, code", [
    ({"status": "revoked"}, date(2026, 4, 1), "transfer-approval-revoked"),
    ({"valid_to": "2026-03-31"}, date(2026, 4, 1), "transfer-approval-expired"),
    ({"valid_from": "2026-04-01"}, date(2026, 4, 1), "transfer-approval-not-yet-valid"),  # 3/31's file
    ({"fields": [f for f in DAILY.fields if f != "my_number"]}, date(2026, 4, 1), "transfer-field-not-approved"),
    ({"jobs": ["kouiki-income-monthly"]}, date(2026, 4, 1), "transfer-approval-other-job"),
])
def test_a_run_outside_the_approval_is_refused(overrides, today, code) -> None:
    with pytest.raises(ApprovalRefused) as refused:
        check_approval(_approval(**overrides), DAILY, date(2026, 3, 31), date(2026, 3, 31), today)
    assert refused.value.code == code


def test_the_last_day_of_an_approval_still_runs() -> None:
    """The boundary twin: valid_to is inclusive."""
    check_approval(_approval(valid_to="2026-03-31"), DAILY, date(2026, 3, 31), date(2026, 3, 31), date(2026, 3, 31))


def test_periods_and_what_is_due() -> None:
    assert period_of(date(2026, 2, 14), "monthly") == (date(2026, 2, 1), date(2026, 2, 28), "monthly")
    assert period_of(date(2028, 2, 14), "monthly").last == date(2028, 2, 29)  # 閏年
    due = due_periods("daily", date(2026, 3, 28), date(2026, 4, 1), start=date(2026, 3, 31))
    assert [p.key for p in due] == ["2026-03-29", "2026-03-30", "2026-03-31"]
    assert due_periods("daily", date(2026, 3, 31), date(2026, 4, 1), start=date(2026, 3, 31)) == []
    assert [p.key for p in due_periods("monthly", None, date(2026, 4, 2), start=date(2026, 3, 5))] == ["2026-03"]
    assert due_periods("monthly", None, date(2026, 3, 31), start=date(2026, 3, 5)) == []  # March has not ended


def test_fixed_fields_are_padded_in_bytes_and_gaiji_become_black_circles() -> None:
    name = Column("name", "氏名", 10)
    assert fixed_field(name, "熊本", "cp932") == "熊本".encode("cp932") + b"      "  # 4 bytes + 6 spaces
    assert fixed_field(name, "髙橋", "cp932") == "髙橋".encode("cp932") + b"      "  # 髙 is in CP932 (NEC 選定)
    assert fixed_field(name, "𠮷田", "cp932") == "●田".encode("cp932") + b"      "  # 𠮷 is not: 外字
    with pytest.raises(FieldTooLong, match="12 bytes, longer than its 10-byte field"):
        fixed_field(name, "熊本市中央区", "cp932")  # 12 bytes: refused, never cut to 熊本市中央
    assert fixed_field(name, "熊本市中央", "cp932") == "熊本市中央".encode("cp932")  # the twin: exactly 10 bytes
    assert fixed_field(Column("amount", "金額", 6, "N"), 64800, "cp932") == b"064800"
    assert fixed_field(Column("amount", "金額", 6, "N"), None, "cp932") == b"      "
    with pytest.raises(ValueError):
        fixed_field(Column("amount", "金額", 3, "N"), 64800, "cp932")


def test_csv_rows_are_quoted_and_encoded() -> None:
    annual = job("shiminzei-annual")
    assert annual is not None
    body = encode_rows(annual, [{"person_id": "P1", "name": "熊本, 太郎", "paid": 64800}])
    assert body == 'P1,"熊本, 太郎",,,,64800\r\n'.encode("cp932")


def test_every_job_names_its_recipient_schedule_and_layout() -> None:
    assert {j.name for j in JOBS} == {"kouiki-daily", "kouiki-collection-daily", "kouiki-income-monthly",
                                      "kouiki-ryoyohi-monthly", "shiminzei-annual"}
    assert all(j.schedule.startswith("cron(") for j in JOBS)
    assert not job("shiminzei-annual").carries_my_number  # type: ignore[union-attr]  # PIA-III-2-b


# --- 異動区分 of the kouiki-daily file: every kind intake can queue has a code that fits --------------------------

def _intake_event_kinds() -> set[str]:
    """The eligibility and household kinds the intake workflow queues for the 広域連合, read from its modules'
    string constants (a new kind added there shows up here), and its 届出 kinds (`notification:<kind>`)."""
    import ast
    from pathlib import Path

    from functions.intake.services.notifications import KINDS

    root = Path(__file__).resolve().parents[2] / "functions" / "intake"
    modules = ("rules/eligibility_events.py", "rules/household_events.py", "rules/public_assistance.py",
               "services/reaching_75.py", "services/resident_apply.py", "services/assistance_import.py")
    found = {node.value for m in modules for node in ast.walk(ast.parse((root / m).read_text("utf-8")))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and node.value.startswith(("eligibility-", "insured-person-")) and node.value.rstrip("-") == node.value
             and " " not in node.value}
    return found | {f"notification:{k}" for k in KINDS}


def test_every_kind_intake_can_queue_has_a_code_that_fits_the_column() -> None:
    daily = job("kouiki-daily")
    assert daily is not None
    [event] = [c for c in daily.columns if c.field == "event"]
    kinds = _intake_event_kinds()
    assert {"eligibility-loss-withdrawn", "insured-person-household", "eligibility-prospect",
            "notification:disability-application"} <= kinds
    codes = dict(KOUIKI_EVENT_CODES)
    assert sorted(kinds - set(codes)) == []
    assert len(set(codes.values())) == len(codes)  # one code, one meaning
    for kind in kinds:
        written = fixed_field(event, kind, "cp932")
        assert len(written) == 24 and written.rstrip(b" ").decode("ascii") == codes[kind]
    assert fixed_field(event, "eligibility-loss-withdrawn", "cp932") == b"ELIG-LOSS-WITHDRAWN     "


def test_a_kind_too_long_for_the_column_is_refused_not_cut() -> None:
    """The twins: the 26-character kind in a plain 24-byte column is refused (it was cut to
    'eligibility-loss-withdra'), and a kind the layout has no code for is refused by the coded column."""
    plain = Column("event", "異動区分", 24)
    assert len("eligibility-loss-withdrawn") == 26
    with pytest.raises(FieldTooLong, match="26 bytes, longer than its 24-byte field"):
        fixed_field(plain, "eligibility-loss-withdrawn", "cp932")
    daily = job("kouiki-daily")
    assert daily is not None
    with pytest.raises(ValueError, match="no code for 'eligibility-unheard-of'"):
        fixed_field(daily.columns[0], "eligibility-unheard-of", "cp932")
