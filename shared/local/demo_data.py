"""Demo data for local mode: staff (one person per role) and a few households of the city.

The persons are loaded as already-confirmed records (like a migration), with their My Numbers encrypted and
indexed exactly as confirmed changes store them. Every number is fictional but passes the check digit.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.adapters.staff_registry import StaffRegistry
from shared.domain.mynumber import check_digit, parse_my_number
from shared.domain.person import derived_fields
from shared.local.demo_staff import DEMO_STAFF
from shared.runtime import Runtime


def demo_my_number(eleven: str) -> str:
    """A fictional number with a correct check digit (番号法施行令第8条)."""
    return eleven + str(check_digit(eleven))


# person_id, household, name, kana, birth, sex, address, relationship, head, insured_number, 11 digits or None
DEMO_PERSONS: tuple[tuple[Any, ...], ...] = (
    ("P0000000001", "H0000000001", "熊本 太郎", "クマモト タロウ", "1948-05-10", "1", "熊本市中央区手取本町1-1",
     "世帯主", True, "10000001", "12345678901"),
    ("P0000000002", "H0000000001", "熊本 花子", "クマモト ハナコ", "1950-11-03", "2", "熊本市中央区手取本町1-1",
     "妻", False, "10000002", "98320567321"),
    ("P0000000003", "H0000000001", "熊本 一郎", "クマモト イチロウ", "1980-02-14", "1", "熊本市中央区手取本町1-1",
     "子", False, None, "11111111111"),
    ("P0000000004", "H0000000002", "阿蘇 次郎", "アソ ジロウ", "1952-01-20", "1", "熊本市東区健軍1-2-3",
     "世帯主", True, None, "23456789012"),
    ("P0000000005", "H0000000003", "天草 ミツ", "アマクサ ミツ", "1945-07-07", "2", "熊本市西区春日3-15-1",
     "世帯主", True, "10000005", None),
)


def reaching_75_next_month(today: date) -> tuple[tuple[Any, ...], ...]:
    """Two people whose 75th birthday falls next month, so the daily job has someone to find."""
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    on_the_first = first.replace(year=first.year - 75)
    mid_month = on_the_first.replace(day=15)
    return (
        ("P0000000006", "H0000000004", "宇土 春子", "ウト ハルコ", on_the_first.isoformat(), "2",
         "熊本市南区富合町1-1", "世帯主", True, None, "31415926535"),
        ("P0000000007", "H0000000005", "八代 健", "ヤツシロ ケン", mid_month.isoformat(), "1",
         "熊本市北区植木町2-2", "世帯主", True, None, None),
    )


def seed_persons(runtime: Runtime) -> int:
    existing = 0
    people = DEMO_PERSONS + reaching_75_next_month(runtime.clock().date())
    for pid, household, name, kana, birth, sex, address, relation, head, insured, eleven in people:
        if runtime.repository(PersonRepository).get(pid):
            existing += 1
            continue
        record: dict[str, Any] = {
            "person_id": pid, "household_id": household, "name": name, "name_kana": kana,
            "birth_date": birth, "sex": sex, "address": address, "postal_code": "860-0000",
            "resident_status": "registered", "relationship": relation, "is_household_head": head,
            "insured_number": insured, "suspended": False, "version": 1, "updated_at": runtime.clock().isoformat(),
            "eligibility_status": "insured" if insured else "not-insured",
        }
        if insured:  # insured since the 75th birthday (法第52条; no demo person is born on 2/29)
            record |= {"eligibility_acquired_on": f"{int(birth[:4]) + 75}{birth[4:]}",
                       "eligibility_change_reason": "75歳到達"}
        record.update(derived_fields(record))
        if eleven:
            number = parse_my_number(demo_my_number(eleven))
            record["mynumber_enc"] = runtime.vault.encrypt(number)
            record["mynumber_index"] = runtime.vault.blind_index(number)
        runtime.repository(PersonRepository).put_new(record)
    return len(people) - existing


def seed_demo_data(runtime: Runtime) -> list[str]:
    """Load the demo data; returns lines describing what is there."""
    for member in DEMO_STAFF:
        runtime.repository(StaffRegistry).register(member)
    loaded = seed_persons(runtime)
    runtime.audit.append(AuditEvent(staff_id="system", action="local.seed", outcome="success",
                                    detail={"staff": str(len(DEMO_STAFF)), "persons": str(loaded)}))
    lines = ["demo staff (use `choju dev-token --role ROLE`):"]
    for m in DEMO_STAFF:
        state = "" if m.active else "  [disabled]"
        lines.append(f"  {m.staff_id}  {','.join(sorted(r.value for r in m.roles)):<20} {m.name}{state}")
    lines.append("demo persons:")
    for pid, household, name, _, birth, *_rest in DEMO_PERSONS + reaching_75_next_month(runtime.clock().date()):
        lines.append(f"  {pid}  {household}  {birth}  {name}")
    return lines
