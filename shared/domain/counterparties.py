"""Registered counterparties: who may send files, in which encoding, with which options (PIA-III-2-d, III-2-i).

Only these may deliver inbound files; anything else is refused before a byte is parsed. The list is data:
adding a counterparty is a reviewed change to this file.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.domain.errors import Invalid

__all__ = ["COUNTERPARTIES", "KOUIKI_RENGO", "Counterparty", "UnknownCounterparty", "registered"]

# 熊本県後期高齢者医療広域連合: the insurer, and the counterparty of most exchanges (PIA-II-5-a).
KOUIKI_RENGO = "kouiki-rengo"

@dataclass(frozen=True)
class Counterparty:
    code: str
    name: str
    encoding: str  # "utf-8" or "cp932" (design rule 9: explicit encodings)
    kinds: tuple[str, ...]  # file kinds it may send
    allow_partial: bool = False  # apply the valid rows of a file that has rejects?

    @property
    def inbound_prefix(self) -> str:
        return f"inbound/{self.code}/"


COUNTERPARTIES: dict[str, Counterparty] = {
    c.code: c
    for c in (
        Counterparty("jyuki-renkei", "住民基本台帳 (庁内連携システム, 地域政策課)", "cp932", ("resident-changes",)),
        Counterparty("jyuki-renkei-utf8", "住民基本台帳 (庁内連携システム, UTF-8 移行後)", "utf-8",
                     ("resident-changes",), allow_partial=True),
        Counterparty("shiminzei-renkei", "市民税課 所得・課税情報 (庁内連携システム)", "cp932", ("income-records",)),
        Counterparty("shiminzei-renkei-utf8", "市民税課 所得・課税情報 (庁内連携システム, UTF-8 移行後)", "utf-8",
                     ("income-records",), allow_partial=True),
        # 生活保護 開始・停止・停止解除・廃止 (適用除外, 法第51条第1号): digits only, so UTF-8 and CP932 read alike.
        Counterparty("fukushi-hogo", "生活保護 (健康福祉局 保護課, 庁内連携システム)", "utf-8", ("public-assistance",)),
        Counterparty(KOUIKI_RENGO, "熊本県後期高齢者医療広域連合", "utf-8",
                     ("eligibility-results", "assessment-results")),
        # Collection (issue 14): fixed-length CP932 files (file-layouts.md §1, §3, §4).
        Counterparty("shitei-kinyu", "指定金融機関 (窓口収納, 口座振替 results)", "cp932",
                     ("payments", "debit-results")),
        Counterparty("cvs-agent", "コンビニ収納代行 (速報, 確報)", "cp932", ("payments",)),
        Counterparty("kokuhoren", "熊本県国民健康保険団体連合会 (特別徴収: 対象者, 結果)", "cp932",
                     ("pension-targets", "pension-results")),
    )
}


class UnknownCounterparty(Invalid):
    code = "unknown-counterparty"
    title = "Not a registered counterparty"


def registered(code: str, kind: str) -> Counterparty:
    counterparty = COUNTERPARTIES.get(code)
    if counterparty is None or kind not in counterparty.kinds:
        raise UnknownCounterparty(f"{code!r} is not registered to send {kind} files (PIA-III-2-d)")
    return counterparty
