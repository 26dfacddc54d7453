"""The yearly renewal mails no 資格確認書 to an address outside the city unless a 住所地特例 keeps the person insured
here (法第55条; rules/certificates.renewal_withheld). Such persons are listed with the reason in the job summary.

Hand-made cases, run on 2026-07-10 for the cards of 2026-08-01 (the demo's 太郎, 花子 and ミツ are insured and
live in 熊本市).
"""

from __future__ import annotations

from typing import Any

from functions.intake.batch import annual_certificate_renewal
from shared.adapters.persons import PersonRepository
from shared.domain.person import derived_fields

INSURED = {"eligibility_status": "insured", "eligibility_acquired_on": "2020-01-10", "insurer": "43",
           "eligibility_change_reason": "75歳到達"}
FACILITY = {"special_address_insurer": "43", "special_address_facility": "福岡○○病院",
            "special_address_from": "2025-05-01"}


def person(runtime, pid: str, **fields: Any) -> None:
    record = {"person_id": pid, "household_id": "H9" + pid[2:], "name": "更新 太郎", "name_kana": "コウシン タロウ",
              "birth_date": "1945-03-03", "sex": "1", "address": "熊本市中央区手取本町4-4",
              "resident_status": "registered", "suspended": False, "version": 1, **INSURED, **fields}
    record.update(derived_fields(record))
    runtime.repository(PersonRepository).put_new(record)


def card(runtime, pid: str) -> dict[str, Any] | None:
    return runtime.records("certificates").get(f"QC-{pid}-renewal-2026")


def test_a_card_goes_only_to_addresses_in_the_city_or_under_the_special_address_rule(runtime) -> None:
    # 県内転出 to 菊陽町 (still insured, 法第48条): withheld.
    person(runtime, "P0000007001", address="熊本県菊池郡菊陽町久保田1-1", resident_status="moved-out")
    # Negative twin: the same move with a 住所地特例 (法第55条) from 2025-05-01, in force on 2026-08-01: mailed.
    person(runtime, "P0000007002", address="福岡県福岡市中央区天神1-1", resident_status="moved-out", **FACILITY)
    # An address outside the city on a registered record (a 住登外 or a wrong entry), no 特例: withheld.
    person(runtime, "P0000007003", address="熊本県八代市松江城町1-1")
    # The 特例 ended on 2026-07-31, the day before the card takes effect: withheld.
    person(runtime, "P0000007004", address="福岡県福岡市中央区天神2-2", resident_status="moved-out",
           **{**FACILITY, "special_address_until": "2026-07-31"})
    # In the city, written with the prefecture: mailed.
    person(runtime, "P0000007005", address="熊本県熊本市東区健軍5-5")
    result = annual_certificate_renewal({"today": "2026-07-10"}, None, runtime=runtime)
    # 3 demo + 5 here are insured; 3 withheld; 5 issued (太郎, 花子, ミツ, 7002, 7005).
    assert (result["insured"], result["withheld"], result["issued"]) == (8, 3, 5)
    assert result["withheld_persons"] == [
        {"person_id": "P0000007001", "reason": "転出済み (住所が市外)、住所地特例なし"},
        {"person_id": "P0000007003", "reason": "住所が市外、住所地特例なし"},
        {"person_id": "P0000007004", "reason": "転出済み (住所が市外)、住所地特例なし"},
    ]
    assert card(runtime, "P0000007001") is None and card(runtime, "P0000007003") is None
    assert card(runtime, "P0000007004") is None
    assert card(runtime, "P0000007002")["valid_from"] == "2026-08-01"
    assert card(runtime, "P0000007005") is not None
