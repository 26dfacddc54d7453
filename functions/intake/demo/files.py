"""住基異動 files for a synthetic population (local mode at full size, the benchmark): never real people.

Rows change persons of `functions.intake.demo.population` (each person at most once, except a few who appear twice far
apart, as when a move is followed by a death) or bring in new ones, in the proportions of a busy month:
moves within the city, household and name changes, deaths, moves out of the prefecture, new My Numbers, and
people moving in or registered as non-residents.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from functions.intake.demo.population import FEMALE, FIRST_PERSON_ID, MALE, SURNAMES, TOWNS, my_number_of
from functions.intake.rules.resident_changes import COLUMNS

__all__ = ["MIX", "change_rows", "write_file"]

# change code -> share of the rows
MIX = {"03": 0.30, "06": 0.10, "07": 0.05, "05": 0.08, "02": 0.04, "08": 0.08, "01": 0.25, "09": 0.10}
REPEATS = 0.02  # rows for a person already changed earlier in the file
OTHER_PREFECTURES = ("40", "13", "27", "41", "44", "46")  # 福岡, 東京, 大阪, 佐賀, 大分, 鹿児島


def _stride(population: int) -> int:
    stride = 7_919
    while math.gcd(stride, population) != 1:
        stride += 2
    return stride


def _new_person(rng: random.Random, today: date, code: str) -> dict[str, str]:
    surname, surname_kana = rng.choice(SURNAMES)
    sex = rng.choice("12")
    given, given_kana = rng.choice(MALE if sex == "1" else FEMALE)
    birth = date(today.year - 75 - rng.randrange(20), 1, 1) + timedelta(days=rng.randrange(365))
    ward = rng.choice(tuple(TOWNS))
    fields = {"name": f"{surname} {given}", "name_kana": f"{surname_kana} {given_kana}",
              "birth_date": f"{birth:%Y%m%d}", "sex": sex, "relationship": "世帯主", "is_head": "1",
              "postal_code": f"86{rng.randint(0, 1)}-{rng.randint(0, 9999):04d}",
              "address": f"熊本市{ward}{rng.choice(TOWNS[ward])}{rng.randint(1, 9)}-{rng.randint(1, 30)}"}
    if code == "01":
        fields["other_prefecture"] = rng.choice(("43", *OTHER_PREFECTURES))
        fields["other_address"] = "旧住所1-1"
    return fields


def change_rows(population: int, rows: int, today: date, seed: int = 2) -> Iterator[dict[str, str]]:
    """`rows` rows of the 住基異動 layout for a population of `population` synthetic persons."""
    rng = random.Random(seed)
    codes, weights = zip(*MIX.items(), strict=True)
    stride, walked, newcomers = _stride(max(population, 1)), 0, 0
    changed: list[int] = []
    for number in range(1, rows + 1):
        code = rng.choices(codes, weights)[0]
        day = today - timedelta(days=rng.randrange(1, 30))
        row = dict.fromkeys(COLUMNS, "")
        row.update(record_no=str(number), change_code=code, change_date=f"{day:%Y%m%d}",
                   notified_date=f"{day + timedelta(days=1):%Y%m%d}")
        if code in ("01", "09") or population == 0 or (walked >= population and not changed):
            index = population + newcomers
            newcomers += 1
            row.update(_new_person(rng, today, code if code in ("01", "09") else "09"),
                       change_code=code if code in ("01", "09") else "09",
                       household_code=f"{FIRST_PERSON_ID + index:010d}")
        else:
            if changed and (rng.random() < REPEATS or walked >= population):
                index = rng.choice(changed)
            else:
                index = (walked * stride) % population
                walked += 1
                changed.append(index)
            if code == "03":
                ward = rng.choice(tuple(TOWNS))
                row["address"] = f"熊本市{ward}{rng.choice(TOWNS[ward])}{rng.randint(1, 9)}-{rng.randint(1, 30)}"
            elif code == "06":
                row.update(household_code=f"{FIRST_PERSON_ID + rng.randrange(population):010d}", relationship="同居人")
            elif code == "07":
                surname, kana = rng.choice(SURNAMES)
                row.update(name=f"{surname} 花", name_kana=f"{kana} ハナ")
            elif code == "02":
                row.update(other_address="東京都新宿区1-1", other_prefecture=rng.choice(OTHER_PREFECTURES))
            elif code == "08":
                row["my_number"] = my_number_of(10**10 + number)
        row["atena_code"] = f"{FIRST_PERSON_ID + index:010d}"
        yield row


def write_file(path: Path, rows: Iterator[dict[str, str]], encoding: str = "cp932") -> int:
    """Write the rows as a 住基異動 file (CRLF line ends, as the register's export does); returns the row count."""
    count = 0
    with path.open("w", encoding=encoding, newline="") as out:
        out.write(",".join(COLUMNS) + "\r\n")
        for row in rows:
            out.write(",".join(row[c] for c in COLUMNS) + "\r\n")
            count += 1
    return count
