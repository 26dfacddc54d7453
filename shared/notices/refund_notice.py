"""還付通知書 / 充当通知書: what became of an over-payment (過誤納金; PIA-I-1-e, domain-rules §3.6).

An over-payment is first applied (充当) to overdue premiums and their 延滞金; the rest is refunded with 還付加算金
(地方税法第17条の4, applied through 地方自治法第231条の3第4項) to the account named, or the resident is asked for a
還付請求書. The notice lists each 充当 and the refund; its title says which of the two it reports (both: 還付・充当).
The account appears only as the masked summary the collection workflow keeps (bank, branch, last digits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.notices.document import A4, Context, Template
from shared.notices.fonts import GOTHIC
from shared.notices.format import fiscal_year_label, number, period_label, wareki, yen
from shared.notices.parts import Recipient, contact_line, letter_head
from shared.notices.sheet import Sheet

__all__ = ["REFUND", "OffsetLine", "RefundNotice"]


@dataclass(frozen=True)
class OffsetLine:
    fiscal_year: int
    number: int  # 期別 the over-payment was applied to
    principal: int  # 充当額 to the premium
    late_fee: int = 0  # 充当額 to its 延滞金


@dataclass(frozen=True)
class RefundNotice:
    recipient: Recipient
    insured_number: str
    decided_on: date
    overpaid: int  # 過誤納金額
    cause: str  # e.g. 資格喪失による減額更正, 二重納付
    offsets: tuple[OffsetLine, ...]
    refund: int  # 還付額 (principal)
    interest: int  # 還付加算金
    account_summary: str | None = None  # masked, e.g. 肥後銀行 本店 普通 ****567; None: a 還付請求書 is needed

    def __post_init__(self) -> None:
        applied = sum(o.principal + o.late_fee for o in self.offsets)
        if applied + self.refund != self.overpaid:
            raise ValueError(f"充当 {applied} and 還付 {self.refund} do not make the over-payment {self.overpaid}")

    @property
    def paid_out(self) -> bool:
        """Something is paid to the resident: the refund, or only the 還付加算金 when the whole over-payment was
        applied (地方税法第17条の4第1項 adds the 加算金 to what is 充当 too; the settle step pays it out)."""
        return bool(self.refund or self.interest)

    @property
    def title(self) -> str:
        if self.offsets and self.paid_out:
            return "後期高齢者医療保険料 還付・充当通知書"
        return "後期高齢者医療保険料 充当通知書" if self.offsets else "後期高齢者医療保険料 還付通知書"


def _draw(sheet: Sheet, data: RefundNotice, context: Context) -> None:
    y = letter_head(sheet, data.recipient, context, data.title)
    y = sheet.paragraph(20, y, 170, (
        "あなたが納めた保険料に過誤納金が生じましたので、次のとおり"
        + ("未納の保険料等に充当し、残額を還付します。" if data.offsets and data.paid_out else
           "未納の保険料等に充当します。" if data.offsets else "還付します。")), 9.5) + 2
    rows = [("被保険者番号", data.insured_number), ("過誤納金額", yen(data.overpaid)), ("発生の理由", data.cause),
            ("決定年月日", wareki(data.decided_on))]
    y = sheet.fields(20, y, 40, 130, rows, row_height=7, size=9.5) + 6
    if data.offsets:
        sheet.text(20, y, "充当の内訳", 10.5, GOTHIC)
        lines = [(fiscal_year_label(o.fiscal_year), period_label(o.number), number(o.principal), number(o.late_fee))
                 for o in data.offsets]
        lines.append(("合計", "", number(sum(o.principal for o in data.offsets)),
                      number(sum(o.late_fee for o in data.offsets))))
        y = sheet.table(20, y + 3, (40, 30, 50, 50), lines, ("年度", "期別", "保険料への充当（円）",
                                                               "延滞金への充当（円）"),
                        row_height=7, size=9, aligns=("left", "center", "right", "right")) + 6
    if data.paid_out:
        rows = [("還付額", yen(data.refund)), ("還付加算金", yen(data.interest)),
                ("お支払いする額", yen(data.refund + data.interest)),
                ("振込先", data.account_summary or "未登録（同封の還付請求書を提出してください）")]
        y = sheet.fields(20, y, 40, 130, rows, row_height=7, size=9.5) + 5
    notes = [
        ("還付加算金は、地方税法第17条の4の例により計算しています（還付額が2,000円未満のとき、または加算金が"
         "1,000円未満のときは加算しません）。"),
        "還付金を受け取る権利は、2年を経過すると時効により消滅します（高齢者の医療の確保に関する法律第160条）。",
        contact_line(context),
    ]
    for note in notes if data.paid_out else notes[2:]:
        y = sheet.paragraph(20, y, 170, note, 9) + 1.5


REFUND: Template[RefundNotice] = Template("refund", "後期高齢者医療保険料 還付・充当通知書", A4, _draw, "RF")
