"""後期高齢者医療被保険者資格確認書: the card the insured person shows at the clinic (PIA-I-1-a; domain-rules §4).

Items: 被保険者番号, 氏名 (and カナ), 生年月日, 性別, 住所, 資格取得年月日, 発効期日, 有効期限 (7月31日: 施行規則第16条
第2項, e.g. 青森県広域連合規則第3条; renewed every 8月1日), 一部負担金の割合 (decided by the 広域連合, 法第67条; blank
until its result reaches the city), 交付年月日, and the insurer's 保険者番号 and name (熊本県後期高齢者医療広域連合).
Card size, 86 × 54 mm. The card carries no 個人番号: none of its items is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.notices.document import CARD, Context, Template
from shared.notices.fonts import GOTHIC
from shared.notices.format import sex_label, wareki
from shared.notices.sheet import Sheet

__all__ = ["CERTIFICATE", "CertificateCard", "card_from_records"]

REASONS = {"new": "", "renewal": "", "reissue": "再交付"}


@dataclass(frozen=True)
class CertificateCard:
    name: str
    birth_date: date
    address: str
    valid_from: date  # 発効期日
    valid_until: date  # 有効期限
    insurer_name: str
    insured_number: str | None = None  # 被保険者番号 (given by the 広域連合; blank until it is known)
    name_kana: str | None = None
    sex: str | None = None  # the register's code: 1 男, 2 女
    acquired_on: date | None = None  # 資格取得年月日
    copayment: str | None = None  # 一部負担金の割合: 1割, 2割 or 3割
    reason: str = "new"  # new, renewal or reissue (再交付 is printed)


def _draw(sheet: Sheet, card: CertificateCard, context: Context) -> None:
    sheet.box(1.5, 1.5, sheet.width - 3, sheet.height - 3, 0.8)
    sheet.text(sheet.width / 2, 6, "後期高齢者医療被保険者資格確認書", 8, GOTHIC, "center")
    if REASONS.get(card.reason):
        sheet.text(sheet.width - 4, 6, REASONS[card.reason], 6, GOTHIC, "right")
    name = f"{card.name}（{card.name_kana}）" if card.name_kana else card.name
    insurer = " ".join(part for part in (context.issuer.insurer_number, card.insurer_name) if part)
    rows = [
        ("被保険者番号", card.insured_number or ""),
        ("氏名", name),
        ("生年月日", f"{wareki(card.birth_date)}　　性別　{sex_label(card.sex)}"),
        ("住所", card.address),
        ("資格取得年月日", wareki(card.acquired_on) if card.acquired_on else ""),
        ("発効期日", wareki(card.valid_from)),
        ("有効期限", wareki(card.valid_until)),
        ("一部負担金の割合", card.copayment or ""),
        ("交付年月日", wareki(context.issued_on)),
        ("保険者番号・名称", insurer),
    ]
    sheet.fields(4, 8.5, 19, sheet.width - 8 - 19, rows, row_height=3.9, size=5.8)
    sheet.text(sheet.width - 4, 51.2, context.number, 4.5, align="right")
    sheet.text(4, 51.2, f"取扱 {context.issuer.office}", 4.5)


CERTIFICATE: Template[CertificateCard] = Template("certificate", "後期高齢者医療被保険者資格確認書", CARD, _draw, "QC")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def card_from_records(person: dict[str, Any], certificate: dict[str, Any]) -> CertificateCard:
    """The card of an issuance record (intake's `certificates` table, its `print` data as issued) and the person's
    current record for what may have changed since (address, name). Both are read by the caller."""
    printed = certificate.get("print", {})
    return CertificateCard(
        name=person.get("name") or printed.get("name") or "",
        name_kana=person.get("name_kana") or printed.get("name_kana"),
        birth_date=date.fromisoformat(person.get("birth_date") or printed["birth_date"]),
        sex=person.get("sex") or printed.get("sex"),
        address=person.get("address") or printed.get("address") or "",
        insured_number=person.get("insured_number") or printed.get("insured_number"),
        acquired_on=_day(person.get("eligibility_acquired_on")),
        valid_from=date.fromisoformat(certificate["valid_from"]),
        valid_until=date.fromisoformat(certificate["valid_until"]),
        insurer_name=printed.get("insurer") or "",
        copayment=printed.get("copayment"),
        reason=certificate.get("reason", "new"),
    )
