"""Parts several notices share: the addressee, the letter head (number, date, sender) and the closing note."""

from __future__ import annotations

from dataclasses import dataclass

from shared.notices.document import Context
from shared.notices.fonts import GOTHIC
from shared.notices.format import wareki
from shared.notices.sheet import Sheet

__all__ = ["Recipient", "contact_line", "letter_head"]


@dataclass(frozen=True)
class Recipient:
    """Whom a notice is mailed to: the 送付先 when one is registered, else the resident's address."""

    name: str
    address: str
    postal_code: str | None = None


def letter_head(sheet: Sheet, recipient: Recipient, context: Context, title: str) -> float:
    """Addressee on the left (the envelope window), number, date and sender on the right, then the title.
    Returns the baseline below the title where the body starts."""
    right = sheet.width - 15
    sheet.text(right, 15, f"文書番号 {context.number}", 8, align="right")
    sheet.text(right, 21, wareki(context.issued_on), 9.5, align="right")
    sheet.text(right, 28, context.issuer.mayor, 11, GOTHIC, align="right")
    sheet.text(right, 33, f"（{context.issuer.office}）", 8.5, align="right")
    if context.issuer.contact:
        sheet.text(right, 37.5, f"電話 {context.issuer.contact}", 8.5, align="right")
    y = 20.0
    if recipient.postal_code:
        sheet.text(20, y, f"〒{recipient.postal_code}", 9.5)
        y += 5.5
    y = sheet.paragraph(20, y, 85, recipient.address, 9.5)
    sheet.text(24, y + 3, f"{recipient.name}　様", 12)
    sheet.title(58, title)
    return 68.0


def contact_line(context: Context) -> str:
    """Where to ask: the department, and its telephone when configured."""
    phone = f"（電話 {context.issuer.contact}）" if context.issuer.contact else ""
    return f"お問い合わせ先　{context.issuer.office}{phone}"
