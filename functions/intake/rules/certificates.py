"""資格確認書: who receives one, from when and until when, and what makes a new one (PIA-I-1-a; domain-rules §4).

- The card year runs 8/1–7/31: validity ends on 7/31 (施行規則第16条第2項; 青森県広域連合規則第3条 「資格確認書の有効
  期限は、毎年七月三十一日まで」) and the card is renewed every 8/1 (熊本: 「毎年8月1日が更新の時期」, 菊陽町).
- 発効期日 (`valid_from`) is the day the card's contents hold: the 8/1 that starts its card year, or the 資格取得日
  or the day of the change it was issued for when later — never the day it is printed. A card made in July for
  the next year is valid from 8/1; a 75歳到達 card, mailed the month before (菊陽町), from the birthday.
- The renewal for a card year runs in July, so the cards arrive before 8/1.
- Until 2026-07-31 (厚労省 暫定運用, 通知 2025-04-03 and its extension) every insured person receives a card
  職権, whether or not they hold a マイナ保険証. From 2026-08-01 the rule is not settled in the sources ([P]):
  `rule="all"` keeps issuing to everyone, `rule="non-holders"` gives holders 資格情報のお知らせ instead. The rule
  is judged on the card's 発効期日 (a July 2026 renewal is for cards from 2026-08-01, after the transition).
- A change of 住所, 氏名 or 一部負担金の割合 changes what the card shows, so a new card is issued
  (施行規則: 記載事項に変更があったときの資格確認書の交付; domain-rules §4).
- The city mails renewal cards only to addresses in the city. Someone whose 住所 is outside it is either no longer
  this city's (a 県内転出 stays insured by the 広域連合 but the new city handles the person, 法第48条; a 県外転出
  is lost, 法第53条) or kept insured here by 住所地特例 (法第55条, 第55条の2: a hospital or facility in another
  prefecture); only the latter gets the card by mail. The others are withheld and listed with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from functions.intake.rules.eligibility import KUMAMOTO_PREFECTURE, Facts, special_address_insurer_on

__all__ = [
    "CARD_FIELDS",
    "TRANSITION_ENDS",
    "CertificateRule",
    "Document",
    "Reason",
    "card_year_start",
    "document_for",
    "effective_from",
    "mailing_month",
    "needs_new_card",
    "receives_certificate",
    "renewal_withheld",
    "renewal_year_start",
    "valid_until",
]

TRANSITION_ENDS = date(2026, 7, 31)
CertificateRule = Literal["all", "non-holders"]
Reason = Literal["new", "renewal", "reissue", "change"]
Document = Literal["資格確認書", "資格情報のお知らせ"]
# What the card prints that can change for an insured person: a change to any of them issues a new card (a card
# made at the 75th birthday before the 広域連合 assigned the 被保険者番号 is replaced by one that prints it).
CARD_FIELDS = ("address", "name", "name_kana", "copayment_ratio", "insured_number")


def card_year_start(on: date) -> date:
    """The 8/1 that starts the card year (8/1–7/31) containing `on`."""
    return date(on.year if on.month >= 8 else on.year - 1, 8, 1)


def valid_until(effective: date) -> date:
    """The 7/31 that ends the card year containing the card's 発効期日."""
    return date(card_year_start(effective).year + 1, 7, 31)


def effective_from(covers: date, acquired_on: date | None = None, changed_on: date | None = None) -> date:
    """発効期日 of a card for the card year containing `covers`: that year's 8/1, or the 資格取得日 or the day of
    the change that made the card when they fall later in it. The day of printing plays no part."""
    start = card_year_start(covers)
    return max([start] + [d for d in (acquired_on, changed_on) if d is not None and d <= valid_until(start)])


def renewal_year_start(run_day: date) -> date:
    """The 8/1 whose cards a renewal run on `run_day` makes: in July, the coming 8/1 (cards arrive before it);
    from August on, a late run makes the current year's."""
    return date(run_day.year, 8, 1) if run_day.month == 7 else card_year_start(run_day)


def receives_certificate(effective: date, has_myna_insurance_card: bool, rule: CertificateRule) -> bool:
    """Whether a card taking effect on `effective` is a 資格確認書 (else the holder gets 資格情報のお知らせ)."""
    if effective <= TRANSITION_ENDS or rule == "all":
        return True
    return not has_myna_insurance_card


def document_for(effective: date, has_myna_insurance_card: bool, rule: CertificateRule) -> Document:
    return "資格確認書" if receives_certificate(effective, has_myna_insurance_card, rule) else "資格情報のお知らせ"


def needs_new_card(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """An insured person whose 住所, 氏名, 負担割合 or 被保険者番号 changes gets a new card."""
    insured = (after.get("eligibility_status") or before.get("eligibility_status")) == "insured"
    return insured and any(f in after and after[f] != before.get(f) for f in CARD_FIELDS)


def mailing_month(seventy_fifth_birthday: date) -> str:
    """The card is mailed in the latter part of the month before the birthday (菊陽町, Kumamoto): 'YYYY-MM'."""
    year, month = seventy_fifth_birthday.year, seventy_fifth_birthday.month - 1
    if month == 0:
        year, month = year - 1, 12
    return f"{year:04d}-{month:02d}"


# A leading prefecture name (北海道, 東京都, 京都府, 大阪府, or 2–3 characters and 県) before the city's name.
_PREFECTURE = re.compile(r"^(北海道|東京都|京都府|大阪府|.{2,3}県)")


def _outside_city(person: Mapping[str, Any], city_name: str) -> str | None:
    if person.get("resident_status") == "moved-out":
        return "転出済み (住所が市外)"
    address = _PREFECTURE.sub("", str(person.get("address") or ""))
    if address and not address.startswith(city_name):
        return "住所が市外"
    return None


def _special_address_here(person: Mapping[str, Any], on: date) -> bool:
    def day(name: str) -> date | None:
        return date.fromisoformat(person[name]) if person.get(name) else None

    facts = Facts(birth_date=date.min, resident_in_prefecture=False,
                  special_address_insurer=person.get("special_address_insurer"),
                  special_address_from=day("special_address_from"),
                  special_address_until=day("special_address_until"))
    return special_address_insurer_on(facts, on) == KUMAMOTO_PREFECTURE


def renewal_withheld(person: Mapping[str, Any], city_name: str, effective: date) -> str | None:
    """Why the renewal card taking effect on `effective` is not mailed to this person (their 住所 is outside the
    city and no 住所地特例 with this 広域連合 holds that day), or None when it is mailed."""
    reason = _outside_city(person, city_name)
    if reason is None or _special_address_here(person, effective):
        return None
    return f"{reason}、住所地特例なし"
