"""納付書: one slip per 普通徴収 期, three to an A4 page, each in the three parts a bank or the city's counter
keeps apart: 納付書 (to the city's 会計管理者), 領収済通知書 (the bank's copy) and 領収証書 (the payer's receipt).

Each part carries the 納付番号 that identifies the 期 for 消込 (the collection workflow's ledger), the 年度 and
期別, the 納期限 and the amount. Amounts are the 期's as the 期割 set them (integer yen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.notices.document import A4, Context, Template
from shared.notices.fonts import GOTHIC
from shared.notices.format import fiscal_year_label, period_label, wareki, yen
from shared.notices.sheet import Sheet

__all__ = ["PAYMENT_SLIPS", "PaymentSlips", "Slip"]

SLIP_HEIGHT = 92.0
PARTS = ("納付書", "領収済通知書", "領収証書")


@dataclass(frozen=True)
class Slip:
    number: int  # 期別
    due_date: date  # 納期限
    amount: int
    payment_number: str  # 納付番号


@dataclass(frozen=True)
class PaymentSlips:
    name: str
    address: str
    insured_number: str
    fiscal_year: int
    slips: tuple[Slip, ...]


def _part(sheet: Sheet, x: float, top: float, title: str, data: PaymentSlips, slip: Slip, context: Context) -> None:
    width = 62.0
    sheet.box(x, top, width, SLIP_HEIGHT - 8)
    sheet.text(x + width / 2, top + 6, title, 10, GOTHIC, "center")
    sheet.text(x + width / 2, top + 11, f"後期高齢者医療保険料 {fiscal_year_label(data.fiscal_year)}", 7.5,
               align="center")
    rows = [("期別", period_label(slip.number)), ("納期限", wareki(slip.due_date)), ("金額", yen(slip.amount)),
            ("納付番号", slip.payment_number), ("被保険者番号", data.insured_number), ("氏名", f"{data.name}　様")]
    bottom = sheet.fields(x + 2, top + 14, 17, width - 4 - 17, rows, row_height=6, size=7.5)
    if title == "領収証書":
        sheet.paragraph(x + 2, bottom + 4, width - 4, data.address, 6.5)
    sheet.box(x + width - 20, top + SLIP_HEIGHT - 28, 18, 18, 0.3)
    sheet.text(x + width - 11, top + SLIP_HEIGHT - 30, "領収日付印", 5.5, align="center")
    sheet.text(x + 2, top + SLIP_HEIGHT - 11, f"納入先 {context.issuer.city_name}会計管理者", 6.5)


def _draw(sheet: Sheet, data: PaymentSlips, context: Context) -> None:
    for index, slip in enumerate(data.slips):
        if index and index % 3 == 0:
            sheet.new_page()
        top = 6 + (index % 3) * (SLIP_HEIGHT + 3)
        for part, title in enumerate(PARTS):
            _part(sheet, 8 + part * 65, top, title, data, slip, context)
        sheet.text(8, top + SLIP_HEIGHT - 2, f"{context.number}-{index + 1}", 6)
        if index % 3 != 2 and index != len(data.slips) - 1:
            sheet.rule(4, top + SLIP_HEIGHT + 1.5, sheet.width - 4, 0.3, dash=True)


PAYMENT_SLIPS: Template[PaymentSlips] = Template("payment-slip", "後期高齢者医療保険料 納付書", A4, _draw, "PS")
