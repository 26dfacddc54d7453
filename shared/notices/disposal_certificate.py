"""廃棄証明書: the city's record that specific personal information was destroyed (PIA-III-7-e; 番号法第20条).

Kept by the city, not mailed. It names what was erased, where, how and when — each copy and version, and the
cryptographic erasure of the keys where used (NIST SP 800-88: Clear, Purge, Destroy; cryptographic erase counts as
Purge; domain-rules-2 §7) — and the day erasure is complete, once the backups that still held the data have
expired. It identifies the subject only by 宛名コード: a certificate of destruction must not keep what it destroyed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.notices.document import A4, Context, Template
from shared.notices.fonts import GOTHIC
from shared.notices.format import wareki
from shared.notices.sheet import Sheet

__all__ = ["DISPOSAL", "DisposalCertificate", "ErasedItem"]


@dataclass(frozen=True)
class ErasedItem:
    what: str  # e.g. 個人番号 (暗号化済), 宛名・資格情報
    where: str  # e.g. persons テーブル, documents バケット (全バージョン), 大阪レプリカ
    method: str  # e.g. 暗号消去 (データキー削除), バージョン削除
    done_on: date


@dataclass(frozen=True)
class DisposalCertificate:
    subject: str  # 宛名コード (person id), never a name or number
    reason: str  # e.g. 保存期間満了 (番号法第20条)
    items: tuple[ErasedItem, ...]
    complete_on: date  # when no copy can be restored any more (backups and PITR windows passed)
    performed_by: str  # staff id of the maker
    confirmed_by: str  # staff id of the checker
    standard: str = "NIST SP 800-88 に準拠（暗号消去による Purge）"


def _draw(sheet: Sheet, data: DisposalCertificate, context: Context) -> None:
    right = sheet.width - 15
    sheet.text(right, 15, f"証明番号 {context.number}", 8.5, align="right")
    sheet.text(right, 21, wareki(context.issued_on), 9.5, align="right")
    sheet.title(36, "特定個人情報 廃棄証明書", 16)
    y = sheet.paragraph(20, 48, 170, (
        "次の特定個人情報を、復元できない方法により廃棄したことを証明します"
        "（行政手続における特定の個人を識別するための番号の利用等に関する法律第20条）。"), 9.5) + 3
    rows = [("対象（宛名コード）", data.subject), ("廃棄の理由", data.reason), ("方法の基準", data.standard),
            ("消去完了日", wareki(data.complete_on)), ("実施者 / 確認者", f"{data.performed_by} / {data.confirmed_by}")]
    y = sheet.fields(20, y, 42, 128, rows, row_height=7.5, size=9.5) + 6
    sheet.text(20, y, "廃棄した情報と方法", 10.5, GOTHIC)
    lines = [(item.what, item.where, item.method, wareki(item.done_on)) for item in data.items]
    y = sheet.table(20, y + 3, (40, 50, 48, 32), lines, ("情報", "所在", "方法", "実施日"), row_height=7, size=8.5)
    y = sheet.paragraph(20, y + 8, 170, (
        "消去完了日は、バックアップ及び復元可能期間の満了により、いずれの複製からも復元できなくなった日です。"), 9) + 10
    sheet.text(right, y, context.issuer.mayor, 12, GOTHIC, align="right")
    sheet.text(right, y + 6, f"（{context.issuer.office}）", 9, align="right")


DISPOSAL: Template[DisposalCertificate] = Template("disposal-certificate", "特定個人情報 廃棄証明書", A4, _draw, "DC")
