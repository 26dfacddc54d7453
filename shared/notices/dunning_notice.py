"""督促状: a 普通徴収 期 unpaid after its 納期限, with a new deadline (地方自治法第231条の3第1項).

It lists each 期 (年度, 期別, the original 納期限, the unpaid principal and any 督促手数料), the 指定期限 by which to
pay, and the 延滞金 notice (地方自治法第231条の3第2項: 延滞金 runs from the day after the 納期限 to the day of payment,
at rates set by 条例 after 地方税法附則第3条の2). 督促 renews the 時効 of the premium (法第160条第2項), which is why
the city keeps the notice's number with the 期. The figures are the collection workflow's; none is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.notices.document import A4, Context, Template
from shared.notices.fonts import GOTHIC
from shared.notices.format import fiscal_year_label, number, period_label, wareki, yen
from shared.notices.parts import Recipient, contact_line, letter_head
from shared.notices.sheet import Sheet

__all__ = ["DUNNING", "DunningLine", "DunningNotice"]


@dataclass(frozen=True)
class DunningLine:
    fiscal_year: int
    number: int  # 期別
    due_date: date  # the original 納期限
    unpaid: int  # 未納額 (principal)
    payment_number: str
    fee: int = 0  # 督促手数料 (熊本市 後期: none found, a parameter of the collection workflow)


@dataclass(frozen=True)
class DunningNotice:
    recipient: Recipient
    insured_number: str
    deadline: date  # 指定期限
    lines: tuple[DunningLine, ...]

    @property
    def total(self) -> int:
        return sum(line.unpaid + line.fee for line in self.lines)


def _draw(sheet: Sheet, data: DunningNotice, context: Context) -> None:
    y = letter_head(sheet, data.recipient, context, "後期高齢者医療保険料 督促状")
    y = sheet.paragraph(20, y, 170, (
        "次の保険料が納期限までに納められていません。地方自治法第231条の3第1項の規定により督促しますので、"
        "指定期限までに納めてください。"), 9.5) + 2
    y = sheet.fields(20, y, 40, 130, [("被保険者番号", data.insured_number)], row_height=7, size=9.5) + 5
    rows = [(fiscal_year_label(line.fiscal_year), period_label(line.number), wareki(line.due_date),
             line.payment_number, number(line.unpaid), number(line.fee)) for line in data.lines]
    rows.append(("合計", "", "", "", number(sum(line.unpaid for line in data.lines)),
                 number(sum(line.fee for line in data.lines))))
    y = sheet.table(20, y, (24, 16, 34, 44, 28, 24), rows,
                    ("年度", "期別", "納期限", "納付番号", "未納額（円）", "督促手数料（円）"), row_height=7,
                    size=9, aligns=("left", "center", "left", "left", "right", "right")) + 8
    sheet.text(20, y, "指定期限", 12, GOTHIC)
    sheet.text(45, y, wareki(data.deadline), 12, GOTHIC)
    sheet.text(110, y, f"納める額　{yen(data.total)}", 12, GOTHIC)
    y += 9
    notes = [
        ("納期限の翌日から納付の日までの日数に応じて、延滞金が加算されることがあります（地方自治法第231条の3第2項）。"
         "延滞金の額は納付の日に確定します。"),
        "この督促状が届く前に納められた場合は、行き違いですのでご容赦ください。",
        "指定期限までに納められない事情がある場合は、お早めにご相談ください。",
        contact_line(context),
    ]
    for note in notes:
        y = sheet.paragraph(20, y, 170, note, 9) + 1.5


DUNNING: Template[DunningNotice] = Template("dunning", "後期高齢者医療保険料 督促状", A4, _draw, "DN")
