"""A synthetic population of insured persons for local mode at full size and the benchmark (never real people).

Names are drawn from lists of common surnames and of given names usual for people born 1925–1951, with their
kana; addresses are real town names of Kumamoto City with made-up numbers; households are couples or people
living alone; My Numbers are made-up 11-digit bodies with a correct check digit (番号法施行令第8条), each
different (a bijection of the person's index), so no number is that of a real person except by chance of
being well-formed. The same seed gives the same population, so a benchmark can be repeated.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.domain.mynumber import check_digit
from shared.domain.person import derived_fields

__all__ = ["SURNAMES", "SyntheticPerson", "load_population", "my_number_of", "population"]

SURNAMES = (("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
            ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
            ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"),
            ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("坂本", "サカモト"), ("村上", "ムラカミ"),
            ("緒方", "オガタ"), ("松田", "マツダ"), ("西村", "ニシムラ"), ("中島", "ナカシマ"), ("前田", "マエダ"),
            ("宮本", "ミヤモト"), ("田上", "タノウエ"), ("上村", "ウエムラ"), ("藤本", "フジモト"),
            ("岩下", "イワシタ"))
MALE = (("清", "キヨシ"), ("茂", "シゲル"), ("実", "ミノル"), ("勇", "イサム"), ("博", "ヒロシ"), ("正", "タダシ"),
        ("進", "ススム"), ("武", "タケシ"), ("昭", "アキラ"), ("和夫", "カズオ"), ("正雄", "マサオ"),
        ("一郎", "イチロウ"), ("義雄", "ヨシオ"), ("勝", "マサル"), ("幸男", "ユキオ"))
FEMALE = (("和子", "カズコ"), ("幸子", "サチコ"), ("節子", "セツコ"), ("京子", "キョウコ"), ("恵子", "ケイコ"),
          ("洋子", "ヨウコ"), ("美代子", "ミヨコ"), ("久子", "ヒサコ"), ("静子", "シズコ"), ("文子", "フミコ"),
          ("千代子", "チヨコ"), ("ミツ", "ミツ"), ("ハル", "ハル"), ("照子", "テルコ"), ("澄子", "スミコ"))
TOWNS = {"中央区": ("手取本町", "水前寺", "大江", "黒髪", "新屋敷", "九品寺", "本荘"),
         "東区": ("健軍", "画図町", "尾ノ上", "長嶺南", "新外", "月出"),
         "西区": ("春日", "島崎", "花園", "上熊本", "池上町"),
         "南区": ("富合町", "城南町", "田井島", "近見", "日吉"),
         "北区": ("植木町", "清水", "武蔵ヶ丘", "楡木", "龍田")}
FIRST_PERSON_ID = 2_000_000_000  # P2000000000 …: clear of the demo persons and of the tests' atena codes
SCRAMBLE, OFFSET = 7_919_000_003, 31_415_926_535  # odd, not a multiple of 5: a bijection modulo 10^11


def my_number_of(index: int) -> str:
    """A well-formed, made-up My Number, different for every index below 10^11."""
    body = f"{(index * SCRAMBLE + OFFSET) % 10**11:011d}"
    return body + str(check_digit(body))


@dataclass(frozen=True)
class SyntheticPerson:
    index: int
    record: dict[str, Any]  # a confirmed person record, as the persons table holds it (without the sealed number)
    my_number: str


def _address(rng: random.Random) -> tuple[str, str]:
    ward = rng.choice(tuple(TOWNS))
    town = rng.choice(TOWNS[ward])
    postal = f"86{rng.randint(0, 1)}-{rng.randint(0, 9999):04d}"
    return postal, f"熊本市{ward}{town}{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"


def _birth(rng: random.Random, today: date) -> date:
    """Ages 75 to 100, fewer at the oldest (a rough 後期高齢者 age pyramid)."""
    age = 75 + int(rng.triangular(0, 26, 0))
    return date(today.year - age, 1, 1) + timedelta(days=rng.randrange(365))


def _seventy_fifth(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + 75)
    except ValueError:  # born on 2/29
        return date(birth.year + 75, 3, 1)


def population(count: int, today: date, seed: int = 1) -> Iterator[SyntheticPerson]:
    """`count` insured persons in households of one or two, in person-id order."""
    rng = random.Random(seed)
    index = 0
    while index < count:
        surname, surname_kana = rng.choice(SURNAMES)
        postal, address = _address(rng)
        household = f"H{FIRST_PERSON_ID + index:010d}"
        size = 2 if rng.random() < 0.45 and index + 1 < count else 1
        head_sex = rng.choice("12")
        for member in range(size):
            sex = head_sex if member == 0 else ("2" if head_sex == "1" else "1")
            given, given_kana = rng.choice(MALE if sex == "1" else FEMALE)
            birth = _birth(rng, today)
            acquired = max(date(2008, 4, 1), _seventy_fifth(birth))
            record: dict[str, Any] = {
                "person_id": f"P{FIRST_PERSON_ID + index:010d}", "household_id": household,
                "name": f"{surname} {given}", "name_kana": f"{surname_kana} {given_kana}",
                "birth_date": birth.isoformat(), "sex": sex, "postal_code": postal, "address": address,
                "relationship": "世帯主" if member == 0 else ("妻" if sex == "2" else "夫"),
                "is_household_head": member == 0, "resident_status": "registered",
                "eligibility_status": "insured", "eligibility_acquired_on": acquired.isoformat(),
                "insured_number": f"{30_000_000 + index:08d}", "has_myna_insurance_card": rng.random() < 0.7,
                "suspended": False, "version": 1}
            record.update(derived_fields(record))
            yield SyntheticPerson(index, record, my_number_of(index))
            index += 1


def load_population(rt: Any, people: Iterator[SyntheticPerson], progress: Callable[[int], None] | None = None,
                    every: int = 10_000) -> int:
    """Write the persons as confirmed records (like a migration), My Numbers sealed and indexed as a confirmed
    change stores them, 25 per BatchWriteItem; returns how many."""
    from shared.domain.mynumber import parse_my_number

    writer, table, loaded = rt.batch_writer(), rt.table_name("persons"), 0
    stamp = rt.clock().isoformat()
    for person in people:
        number = parse_my_number(person.my_number)
        writer.put(table, {**person.record, "updated_at": stamp, "mynumber_enc": rt.vault.encrypt(number),
                           "mynumber_index": rt.vault.blind_index(number)})
        loaded += 1
        if progress is not None and loaded % every == 0:
            progress(loaded)
    writer.flush()
    return loaded
