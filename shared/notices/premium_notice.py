"""後期高齢者医療保険料額決定通知書 兼 納入通知書: the year's premium, how it was reached, and its 期割.

The 広域連合 decides the premium (法第104条, 令第18条) and the city collects it (法第107条); the city notifies the
amount and, as 納入通知 (地方自治法第231条), each 期 with its 納期限 and method. The figures are the 広域連合's result
as stored (domain-rules §2.1: the city never re-derives them); only the 期 are checked to add up to the annual
amount, as the assessment workflow guarantees. Sent in mid-July, or in the month after joining (熊本市 FAQ 4283).
The 教示: 審査請求 to the prefecture's 後期高齢者医療審査会 within three months (法第128条, 行政不服審査法第18条).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.notices.document import A4, Context, Template
from shared.notices.fonts import GOTHIC
from shared.notices.format import fiscal_year_label, number, period_label, wareki, yen
from shared.notices.parts import Recipient, contact_line, letter_head
from shared.notices.sheet import Sheet

__all__ = ["PREMIUM_DECISION", "Instalment", "PremiumDecision"]

METHODS = {"special": "特別徴収（年金から差引き）", "ordinary": "普通徴収（納付書・口座振替）"}


@dataclass(frozen=True)
class Instalment:
    """One 期 as the 期割 made it."""

    number: int  # 期別: 特別徴収 1–6 from April, 普通徴収 1–9 from July, 0 for a 随時期
    due_date: date  # 納期限 (特別徴収: the pension payment day)
    amount: int
    method: str  # "special" or "ordinary"


@dataclass(frozen=True)
class PremiumDecision:
    recipient: Recipient
    insured_number: str
    fiscal_year: int
    decided_on: date
    income_base: int  # 賦課のもととなる所得金額 (旧ただし書き所得)
    equal_share_before_reduction: int  # 均等割額 before 軽減
    reduction_amount: int  # 軽減額 of the 均等割 (0 without 軽減)
    income_share: int  # 所得割額
    annual_premium: int  # 年間保険料額: after 月割, the cap and 100円未満切捨て
    months: int  # 賦課月数
    instalments: tuple[Instalment, ...]
    reduction: str | None = None  # 7割軽減, 5割軽減, 2割軽減, 被扶養者軽減
    capped: bool = False  # 賦課限度額 applied
    previous_annual: int | None = None  # 更正前の年間保険料額 (a 更正 notice)

    def __post_init__(self) -> None:
        total = sum(i.amount for i in self.instalments)
        if total != self.annual_premium:
            raise ValueError(f"the 期 add up to {total}, not the annual premium {self.annual_premium}")


def _draw(sheet: Sheet, data: PremiumDecision, context: Context) -> None:
    year = fiscal_year_label(data.fiscal_year)
    kind = "変更" if data.previous_annual is not None else "決定"
    y = letter_head(sheet, data.recipient, context, f"{year} 後期高齢者医療保険料額{kind}通知書 兼 納入通知書")
    y = sheet.paragraph(20, y, 170, (
        f"あなたの{year}の後期高齢者医療保険料額は、熊本県後期高齢者医療広域連合により次のとおり{kind}されましたので"
        "通知します。あわせて、次の納期限までに納めていただくよう通知します（地方自治法第231条）。"), 9.5) + 2
    equal = data.equal_share_before_reduction - data.reduction_amount
    rows = [
        ("被保険者番号", data.insured_number),
        ("賦課のもととなる所得金額", yen(data.income_base)),
        ("均等割額", f"{yen(data.equal_share_before_reduction)}"
                   + (f"　{data.reduction} {yen(data.reduction_amount)} → {yen(equal)}" if data.reduction else "")),
        ("所得割額", yen(data.income_share)),
        ("賦課月数", f"{data.months}か月" + ("　（賦課限度額を適用）" if data.capped else "")),
    ]
    if data.previous_annual is not None:
        rows.append(("変更前の年間保険料額", yen(data.previous_annual)))
    rows += [("年間保険料額", yen(data.annual_premium)), ("決定年月日", wareki(data.decided_on))]
    y = sheet.fields(20, y, 55, 115, rows, row_height=7, size=9.5) + 3
    sheet.text(20, y + 3, "年間保険料額は100円未満を切り捨てています。", 8)
    sheet.text(20, y + 10, "期割（納期限と納める額）", 10.5, GOTHIC)
    lines = [(period_label(i.number), wareki(i.due_date), METHODS.get(i.method, i.method), number(i.amount))
             for i in data.instalments]
    lines.append(("合計", "", "", number(data.annual_premium)))
    y = sheet.table(20, y + 13, (22, 45, 70, 33), lines, ("期別", "納期限", "徴収方法", "保険料額（円）"),
                    row_height=6.5, size=9, aligns=("center", "left", "left", "right")) + 6
    notes = [
        "特別徴収の方は、各支払月の年金から差し引かれます。普通徴収の方は、同封の納付書または口座振替で納めてください。",
        "納期限を過ぎると督促状を送付し、延滞金が加算されることがあります（地方自治法第231条の3）。",
        ("この処分に不服がある場合は、この通知を受け取った日の翌日から起算して3か月以内に、熊本県後期高齢者医療審査会に"
         "審査請求をすることができます（高齢者の医療の確保に関する法律第128条、行政不服審査法第18条）。"),
        contact_line(context),
    ]
    for note in notes:
        y = sheet.paragraph(20, y, 170, note, 8.5) + 1


PREMIUM_DECISION: Template[PremiumDecision] = Template(
    "premium-decision", "後期高齢者医療保険料額決定通知書兼納入通知書", A4, _draw, "PD")
