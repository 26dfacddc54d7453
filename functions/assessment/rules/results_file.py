"""The 保険料情報 file from the 広域連合 (PIA-I-1-c; domain-rules.md §3.1, file-layouts.md §5): the 賦課 result
of record for each person, the first one of the 年度 (当初, 更正回数 000) and every 更正 after it. Layout in
docs/assessment.md ("保険料情報"); 120-character records, amounts in yen.

The city stores these as they are and never recomputes over them (domain-rules.md §2.1). Checks: the annual
premium (after any 減免) is in whole 100円 and at most 均等割 + 所得割 − 減免; a 当初 result has 更正事由 00 and a
更正 another one; dates are real dates, the 喪失日 after the 取得日, at most 12 months; (person, 更正回数) appears once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.domain.fixed_width import (
    Field,
    FileRefused,
    Frame,
    Parsed,
    RowError,
    count_trailer,
    day,
    digits,
    flag,
    parse_records,
    reject_repeats,
)

__all__ = ["CORRECTION_REASONS", "LAYOUT", "REDUCTIONS", "ResultRow", "parse_results_file"]

LAYOUT = Frame(
    record_length=120,
    header=(Field("kind", 1, 1), Field("fiscal_year", 2, 4), Field("created_on", 6, 8)),
    data=(Field("kind", 1, 1), Field("record_no", 2, 6), Field("atena_code", 8, 10), Field("insured_number", 18, 8),
          Field("version", 26, 3), Field("annual_premium", 29, 11), Field("equal_share", 40, 11),
          Field("income_share", 51, 11), Field("reduction", 62, 1), Field("former_dependant", 63, 1),
          Field("capped", 64, 1), Field("reason", 65, 2), Field("decided_on", 67, 8), Field("acquired_on", 75, 8),
          Field("lost_on", 83, 8), Field("months", 91, 2), Field("assessment_base", 93, 11),
          Field("exemption", 104, 11)),
    trailer=(Field("kind", 1, 1), Field("count", 2, 6), Field("annual_premium_sum", 8, 13)),
)
REDUCTIONS = {"0": None, "1": "70%", "2": "50%", "3": "20%"}  # 軽減区分
CORRECTION_REASONS = {"00": "当初賦課", "01": "所得更正", "02": "資格取得", "03": "資格喪失", "04": "死亡",
                      "05": "軽減区分変更", "06": "被扶養者該当", "99": "その他"}  # 更正事由


@dataclass(frozen=True)
class ResultRow:
    position: int
    record_no: int
    person_id: str
    insured_number: str
    version: int  # 更正回数: 0 for the 当初 result
    annual_premium: int
    equal_share: int
    income_share: int
    reduction: str | None
    former_dependant: bool
    capped: bool
    reason: str  # 更正事由 code
    decided_on: date
    acquired_on: date | None
    lost_on: date | None
    months: int
    assessment_base: int
    exemption: int  # 減免額 (the annual premium is after it)

    def values(self) -> dict[str, Any]:
        """The result as stored: dates as ISO text, the reason with its name."""
        return {"insured_number": self.insured_number, "version": self.version,
                "annual_premium": self.annual_premium, "equal_share": self.equal_share,
                "income_share": self.income_share, "reduction": self.reduction,
                "former_dependant": self.former_dependant, "capped": self.capped, "reason": self.reason,
                "reason_name": CORRECTION_REASONS[self.reason], "decided_on": self.decided_on.isoformat(),
                "acquired_on": self.acquired_on.isoformat() if self.acquired_on else None,
                "lost_on": self.lost_on.isoformat() if self.lost_on else None, "months": self.months,
                "assessment_base": self.assessment_base, "exemption": self.exemption}


def _read(position: int, raw: dict[str, str]) -> ResultRow:
    if not raw["atena_code"].isdigit():
        raise RowError("atena_code", "宛名コード is 10 digits")
    if not raw["insured_number"].isdigit():
        raise RowError("insured_number", "被保険者番号 is 8 digits")
    amounts = {name: digits(raw, name) for name in ("record_no", "version", "annual_premium", "equal_share",
                                                    "income_share", "months", "assessment_base", "exemption")}
    if amounts["annual_premium"] % 100:
        raise RowError("annual_premium", "the annual premium is in whole 100円 (100円未満切捨て)")
    if amounts["annual_premium"] + amounts["exemption"] > amounts["equal_share"] + amounts["income_share"]:
        raise RowError("annual_premium", "more than 均等割額 + 所得割額 − 減免額")
    if amounts["months"] > 12:
        raise RowError("months", "at most 12")
    reason = raw["reason"]
    if reason not in CORRECTION_REASONS:
        raise RowError("reason", f"更正事由 is one of {', '.join(CORRECTION_REASONS)}")
    if (amounts["version"] == 0) != (reason == "00"):
        raise RowError("reason", "更正事由 00 (当初) goes with 更正回数 000, and only with it")
    acquired, lost = day(raw, "acquired_on", optional=True), day(raw, "lost_on", optional=True)
    if acquired and lost and lost <= acquired:
        raise RowError("lost_on", "the 資格喪失日 is after the 資格取得日")
    decided = day(raw, "decided_on")
    assert decided is not None
    return ResultRow(
        position, amounts["record_no"], f"P{raw['atena_code']}", raw["insured_number"], amounts["version"],
        amounts["annual_premium"], amounts["equal_share"], amounts["income_share"],
        REDUCTIONS[flag(raw, "reduction", "0123")], flag(raw, "former_dependant", "01") == "1",
        flag(raw, "capped", "01") == "1", reason, decided, acquired, lost, amounts["months"],
        amounts["assessment_base"], amounts["exemption"])


def _trailer(trailer: dict[str, str], rows: list[dict[str, str]]) -> None:
    count_trailer(trailer, rows, "annual_premium", "annual_premium_sum")


def parse_results_file(content: bytes, encoding: str) -> tuple[int, Parsed[ResultRow]]:
    """The 年度 of the file and its results."""
    parsed = parse_records(content, encoding, LAYOUT, _read, _trailer)
    if not parsed.header["fiscal_year"].isdigit():
        raise FileRefused("the header names the 賦課年度 (positions 2–5)")
    reject_repeats(parsed, lambda r: r.record_no, "record_no", "duplicate record number")
    reject_repeats(parsed, lambda r: (r.person_id, r.version), "version", "a person's 更正回数 appears once in a file")
    return int(parsed.header["fiscal_year"]), parsed
