"""Build 住基異動 files for tests (the layout of docs/intake.md, "Layout")."""

from __future__ import annotations

from functions.intake.rules.resident_changes import COLUMNS

BASE = dict.fromkeys(COLUMNS, "")


def row(no: int, code: str, atena: str, **fields: str) -> dict[str, str]:
    return {**BASE, "record_no": str(no), "change_code": code, "change_date": fields.pop("change_date", "20260401"),
            "notified_date": fields.pop("notified_date", "20260402"), "atena_code": atena, **fields}


def move_in(no: int, atena: str, birth: str = "19500101", prefecture: str = "40", **extra: str) -> dict[str, str]:
    fields = {"household_code": f"9{atena[1:]}", "name": "転入 太郎", "name_kana": "テンニュウ タロウ",
              "birth_date": birth, "sex": "1", "relationship": "世帯主", "is_head": "1", "postal_code": "860-0001",
              "address": "熊本市中央区千葉城町2-1", "other_address": "福岡市博多区1-1", "other_prefecture": prefecture}
    return row(no, "01", atena, **{**fields, **extra})


def csv_bytes(rows: list[dict[str, str]], encoding: str = "utf-8") -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(r[c] for c in COLUMNS) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
