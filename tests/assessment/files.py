"""Builders of the two inbound files, written from the layout tables of docs/assessment.md (positions by hand,
not from the code's layout), so a test fails if the code reads a field from the wrong place."""

from __future__ import annotations

from datetime import date


def _n(value: int, width: int) -> str:
    text = f"{value:0{width}d}"
    assert len(text) == width, (value, width)
    return text


def _d(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else "00000000"


def income_record(no: int, atena: str, *, total: int = 0, pension_receipts: int = 0, pension_income: int = 0,
                  salary_receipts: int = 0, salary_income: int = 0, other: int = 0, dedicated: int = 0,
                  transfer: int = 0, taxable: int = 0, undeclared: bool = False, tax: str = "1") -> str:
    # 1 kind | 2–7 no | 8–17 宛名 | 18 未申告 | 19 課税区分 | 20–30 総所得 | 31–41 年金収入 | 42–52 年金所得 |
    # 53–63 給与収入 | 64–74 給与所得 | 75–85 その他 | 86–96 専従者 | 97–107 譲渡特控 | 108–118 課税標準 | 119–120
    record = ("2" + _n(no, 6) + atena + ("1" if undeclared else "0") + tax
              + "".join(_n(v, 11) for v in (total, pension_receipts, pension_income, salary_receipts, salary_income,
                                            other, dedicated, transfer, taxable)) + "  ")
    assert len(record) == 120
    return record


def income_file(fiscal_year: int, records: list[str], *, count: int | None = None, total: int | None = None,
                income_year: int | None = None, newline: str = "\r\n") -> bytes:
    header = ("1" + _n(fiscal_year, 4) + _n(income_year or fiscal_year - 1, 4) + "20250601").ljust(120)
    totals = sum(int(r[19:30]) for r in records if r[19:30].isdigit())
    trailer = ("8" + _n(len(records) if count is None else count, 6) + _n(totals if total is None else total, 13)
               ).ljust(120)
    return newline.join([header, *records, trailer]).encode("ascii") + newline.encode()


def result_record(no: int, atena: str, *, insured: str = "10000001", version: int = 0, annual: int,
                  equal: int, income: int = 0, reduction: str = "0", former: bool = False, capped: bool = False,
                  reason: str = "00", decided: date = date(2025, 7, 1), acquired: date | None = None,
                  lost: date | None = None, months: int = 12, base: int = 0, exemption: int = 0) -> str:
    # 1 | 2–7 no | 8–17 宛名 | 18–25 被保険者番号 | 26–28 更正回数 | 29–39 年額 | 40–50 均等割 | 51–61 所得割 |
    # 62 軽減 | 63 元被扶養者 | 64 限度額 | 65–66 事由 | 67–74 決定日 | 75–82 取得日 | 83–90 喪失日 | 91–92 月数 |
    # 93–103 賦課基礎 | 104–114 減免額 | 115–120
    record = ("2" + _n(no, 6) + atena + insured + _n(version, 3) + _n(annual, 11) + _n(equal, 11) + _n(income, 11)
              + reduction + ("1" if former else "0") + ("1" if capped else "0") + reason + _d(decided)
              + _d(acquired) + _d(lost) + _n(months, 2) + _n(base, 11) + _n(exemption, 11)).ljust(120)
    assert len(record) == 120
    return record


def results_file(fiscal_year: int, records: list[str], *, count: int | None = None, total: int | None = None,
                 newline: str = "\n") -> bytes:
    header = ("1" + _n(fiscal_year, 4) + "20250701").ljust(120)
    totals = sum(int(r[28:39]) for r in records if r[28:39].isdigit())
    trailer = ("8" + _n(len(records) if count is None else count, 6) + _n(totals if total is None else total, 13)
               ).ljust(120)
    return newline.join([header, *records, trailer]).encode("ascii") + newline.encode()
