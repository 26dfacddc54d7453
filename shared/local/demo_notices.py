"""Sample figures for the notices whose workflows hold no data yet, addressed to a demo person (local mode only).

The preview command and the documentation images use them; every PDF made from them is marked 見本. The
figures are the worked example of domain-rules.md §2.5 (令和7年度, 年金収入180万円: 5割軽減, 58,600円) split into
熊本市's nine 普通徴収 期 (100円 units, the remainder in 第1期: 6,600 + 8 × 6,500), with 納期限 at month ends moved to
the next business day; the 督促状, 還付・充当 and 廃棄 figures follow from them by hand.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.notices.disposal_certificate import DisposalCertificate, ErasedItem
from shared.notices.document import Context, Notice, document_number
from shared.notices.dunning_notice import DunningLine, DunningNotice
from shared.notices.issuer import Issuer
from shared.notices.kinds import kind as notice_kind
from shared.notices.parts import Recipient
from shared.notices.payment_slip import PaymentSlips, Slip
from shared.notices.premium_notice import Instalment, PremiumDecision
from shared.notices.refund_notice import OffsetLine, RefundNotice

__all__ = ["SAMPLE_DUE_DATES", "SAMPLE_ISSUED_ON", "sample_data", "sample_notice"]

FISCAL_YEAR = 2025
SAMPLE_DUE_DATES = (date(2025, 7, 31), date(2025, 9, 1), date(2025, 9, 30), date(2025, 10, 31), date(2025, 12, 1),
                    date(2025, 12, 25), date(2026, 2, 2), date(2026, 3, 2), date(2026, 3, 31))
AMOUNTS = (6_600, *([6_500] * 8))
SAMPLE_ISSUED_ON = {"premium-decision": date(2025, 7, 15), "payment-slip": date(2025, 7, 15),
                    "dunning": date(2025, 8, 18), "refund": date(2025, 10, 6), "disposal-certificate": date(2026, 4, 1)}


def _payment_number(person_id: str, period: int) -> str:
    """An 18-digit sample 納付番号 (year, 宛名コード digits, 期)."""
    return f"{FISCAL_YEAR}{person_id[1:].zfill(12)[-12:]}{period:02d}"[:18].ljust(18, "0")


def sample_data(kind: str, person: dict[str, Any]) -> Any:
    recipient = Recipient(person.get("name") or "", person.get("mailing_address") or person.get("address") or "",
                          person.get("postal_code"))
    insured = person.get("insured_number") or ""
    pid = person["person_id"]
    if kind == "premium-decision":
        return PremiumDecision(
            recipient, insured, FISCAL_YEAR, date(2025, 7, 15), income_base=270_000,
            equal_share_before_reduction=58_000, reduction_amount=29_000, income_share=29_646,
            annual_premium=58_600, months=12, reduction="5割軽減",
            instalments=tuple(Instalment(n, d, a, "ordinary")
                              for n, (d, a) in enumerate(zip(SAMPLE_DUE_DATES, AMOUNTS, strict=True), 1)))
    if kind == "payment-slip":
        return PaymentSlips(recipient.name, recipient.address, insured, FISCAL_YEAR, tuple(
            Slip(n, d, a, _payment_number(pid, n)) for n, (d, a) in enumerate(zip(SAMPLE_DUE_DATES, AMOUNTS,
                                                                                      strict=True), 1)))
    if kind == "dunning":
        return DunningNotice(recipient, insured, date(2025, 8, 28),
                             (DunningLine(FISCAL_YEAR, 1, SAMPLE_DUE_DATES[0], 6_600, _payment_number(pid, 1)),))
    if kind == "refund":
        # 12,000円 paid twice for 第2期 and 第3期 at once: 6,500 to the overdue 第3期, 5,500 refunded; 還付加算金 on
        # 5,000 (1,000円未満切捨て) at 0.9% for 30 days is 3円, under 1,000円: none (domain-rules §3.6).
        return RefundNotice(recipient, insured, date(2025, 10, 6), 12_000, "二重納付",
                            (OffsetLine(FISCAL_YEAR, 3, 6_500),), 5_500, 0, "肥後銀行 本店 普通 ****567")
    if kind == "disposal-certificate":
        return DisposalCertificate(
            pid, "保存期間満了（番号法第20条）",
            (ErasedItem("個人番号（暗号化済）", "persons テーブル", "暗号消去（データキー削除）", date(2026, 3, 2)),
             ErasedItem("宛名・資格情報", "persons テーブル", "項目削除", date(2026, 3, 2)),
             ErasedItem("申請書の画像", "documents バケット（全バージョン・大阪複製）", "バージョン削除",
                        date(2026, 3, 2))),
            complete_on=date(2026, 4, 1), performed_by="S1006", confirmed_by="S1003")
    raise KeyError(f"no sample for {kind!r}")


def sample_notice(kind: str, person: dict[str, Any], issuer: Issuer) -> Notice:
    """A notice of `kind` from the sample figures, addressed to `person`, marked 見本."""
    template = notice_kind(kind).template
    issued_on = SAMPLE_ISSUED_ON[kind]
    number = document_number(template, f"sample-{person['person_id']}", issued_on)
    return Notice(template, sample_data(kind, person), Context(issuer, number, issued_on, sample=True))
