"""資格確認書 validity, renewal and new cards (issue 12 item 7), from hand-computed cases.

Sources (domain-rules §4): the card year ends 7/31 — 施行規則第16条第2項, 青森県広域連合規則第3条
「資格確認書の有効期限は、毎年七月三十一日まで」; renewed every 8/1 (菊陽町, Kumamoto: 「毎年8月1日が更新の時期」);
75歳到達 cards are mailed in the month before the birthday (菊陽町); 資格取得日 = the 75th birthday (法第52条);
until 2026-07-31 every insured person gets a card (厚労省 暫定運用, 通知 2025-04-03), after that
マイナ保険証 holders get 資格情報のお知らせ.
"""

from __future__ import annotations

from datetime import date

from functions.intake.rules.certificates import (
    document_for,
    effective_from,
    needs_new_card,
    renewal_year_start,
    valid_until,
)
from functions.intake.services.certificates import certificate_values

TARO = {"person_id": "P0000000001", "name": "熊本 太郎", "birth_date": "1948-05-05", "address": "熊本市中央区1",
        "eligibility_status": "insured", "eligibility_acquired_on": "2023-05-05", "insured_number": "10000001",
        "copayment_ratio": "2割", "limit_class": "一般Ⅱ"}


def test_a_card_printed_in_july_for_the_next_year_is_valid_from_8_1_to_the_next_7_31() -> None:
    # Printed 2027-07-10 for the year beginning 2027-08-01: 2027-08-01 .. 2028-07-31 (a whole card year).
    # Dated from its print day it would run 2027-07-10 .. 2027-07-31: 22 days.
    card = certificate_values(TARO, "renewal", date(2027, 7, 10), covers=date(2027, 8, 1))
    assert (card["issued_on"], card["valid_from"], card["valid_until"]) == ("2027-07-10", "2027-08-01", "2028-07-31")


def test_the_renewal_run_in_july_makes_the_cards_of_the_coming_8_1() -> None:
    assert renewal_year_start(date(2027, 7, 10)) == date(2027, 8, 1)
    assert renewal_year_start(date(2027, 7, 31)) == date(2027, 8, 1)
    assert renewal_year_start(date(2027, 8, 3)) == date(2027, 8, 1)  # a late run: still this year's cards
    assert renewal_year_start(date(2028, 6, 30)) == date(2027, 8, 1)


def test_valid_from_is_the_acquisition_day_or_8_1_never_the_print_day() -> None:
    # 75歳到達 on 2027-08-15 (born 1952-08-15), card printed 2027-07-20: 2027-08-15 .. 2028-07-31.
    assert effective_from(date(2027, 8, 15), date(2027, 8, 15)) == date(2027, 8, 15)
    # A card reissued on 2026-11-27 to someone insured since 2023-05-05: the year's 8/1, 2026-08-01 .. 2027-07-31.
    reissued = certificate_values(TARO, "reissue", date(2026, 11, 27))
    assert (reissued["valid_from"], reissued["valid_until"]) == ("2026-08-01", "2027-07-31")
    # Insured from 2026-10-01 (転入), card printed 2026-10-05: valid from 2026-10-01, not 10-05.
    moved_in = certificate_values({**TARO, "eligibility_acquired_on": "2026-10-01"}, "new", date(2026, 10, 5))
    assert (moved_in["valid_from"], moved_in["valid_until"]) == ("2026-10-01", "2027-07-31")


def test_the_card_year_boundary() -> None:
    assert valid_until(date(2027, 7, 31)) == date(2027, 7, 31)  # the last day of a year
    assert valid_until(date(2027, 8, 1)) == date(2028, 7, 31)  # the first day of the next
    assert valid_until(date(2028, 2, 29)) == date(2028, 7, 31)


def test_the_record_carries_the_card_items() -> None:
    card = certificate_values(TARO, "renewal", date(2027, 7, 10), covers=date(2027, 8, 1), insurer_number="39430000")
    assert {k: card[k] for k in ("insured_number", "insurer_number", "copayment_ratio", "limit_class", "issued_on",
                                  "valid_from")} == {
        "insured_number": "10000001", "insurer_number": "39430000", "copayment_ratio": "2割",
        "limit_class": "一般Ⅱ", "issued_on": "2027-07-10", "valid_from": "2027-08-01"}
    assert card["print"]["copayment"] == "2割" and "mynumber" not in str(card)
    # No 限度額区分 recorded: the item is absent rather than blank.
    assert "limit_class" not in certificate_values({**TARO, "limit_class": None}, "new", date(2027, 7, 10))


def test_holders_get_the_information_notice_after_the_transition_judged_on_the_card_year() -> None:
    # The July 2026 renewal is for cards from 2026-08-01, after the 暫定運用 (to 2026-07-31).
    assert document_for(date(2026, 8, 1), True, "non-holders") == "資格情報のお知らせ"
    assert document_for(date(2026, 7, 31), True, "non-holders") == "資格確認書"
    assert document_for(date(2026, 8, 1), False, "non-holders") == "資格確認書"
    assert document_for(date(2026, 8, 1), True, "all") == "資格確認書"


def test_a_change_of_address_name_or_ratio_issues_a_new_card() -> None:
    assert needs_new_card(TARO, {"address": "熊本市東区2"})
    assert needs_new_card(TARO, {"name": "熊本 太朗"})
    assert needs_new_card(TARO, {"copayment_ratio": "1割"})
    assert not needs_new_card(TARO, {"phone": "096-000-0000"})
    assert not needs_new_card(TARO, {"address": TARO["address"]})
    assert not needs_new_card({**TARO, "eligibility_status": "lost"}, {"address": "熊本市東区2"})
