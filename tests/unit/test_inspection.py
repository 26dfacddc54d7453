"""The self-inspection summary (PIA-III-2-c, PIA-III-8), on hand-made audit records."""

from datetime import datetime, timedelta, timezone

from functions.platform.rules.inspection import inspect, render_markdown

JST = timezone(timedelta(hours=9))
T0 = datetime(2026, 11, 1, tzinfo=JST)


def rec(seq: int, hours: int, staff: str, action: str, purpose: str = "-", target: str = "P1") -> dict:
    return {"seq": seq, "at": (T0 + timedelta(hours=hours)).isoformat(), "staff_id": staff, "action": action,
            "target": target, "purpose": purpose}


RECORDS = [
    rec(1, -1, "S1", "person.mynumber-read", "前月分"),  # before the period
    rec(2, 1, "S2", "person.mynumber-read", "本人確認"),
    rec(3, 2, "S2", "person.mynumber-search", "-"),  # no purpose: flagged
    rec(4, 3, "S3", "access.forbidden"),
    rec(5, 4, "unverified:X", "auth.refused"),
    rec(6, 5, "S3", "access.forbidden"),
    rec(7, 24 * 30, "S2", "person.mynumber-read", "翌月分"),  # after the period
]


def test_only_the_period_is_counted_and_purposeless_access_is_flagged() -> None:
    report = inspect(RECORDS, T0, T0 + timedelta(days=30))
    assert report.records == 5
    assert [e["seq"] for e in report.my_number_access] == [2, 3]
    assert [e["seq"] for e in report.without_purpose] == [3]
    assert dict(report.refusals_by_staff) == {"S3": 2, "unverified:X": 1}
    assert "| 2 |" in render_markdown(report) and "without a stated purpose: **1**" in render_markdown(report)
