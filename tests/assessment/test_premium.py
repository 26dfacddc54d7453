"""The premium calculator to the yen: the worked examples of domain-rules.md §2.5 and hand-computed cases.

Every expected figure is worked out by hand in the comment beside it (never by calling the production
formula). Abbreviations: 所得 = 公的年金等所得 unless said; 判定 = 軽減判定所得; base = 賦課のもととなる所得金額.
R7 (2025): 均等割 58,000, 10.98%, cap 80万; lines 7割 43万, 5割 43万 + 30.5万×n, 2割 43万 + 56万×n.
R6 (2024): same but 5割 29.5万×n, 2割 54.5万×n; 10.80% when base ≤ 58万; cap 73万 for 昭和24.3.31以前生まれ.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from functions.assessment.rules.premium import InvalidHousehold, Member, calculate

OLD = date(1948, 6, 1)  # 75 before 2023; 65+ in every income year here; R6 transitional cap applies


def single(fiscal_year: int, **member: object) -> dict:
    member.setdefault("birth_date", OLD)
    result = calculate(fiscal_year, [Member("a", True, True, **member)])  # type: ignore[arg-type]
    return {"reduction": result.reduction, **result.members[0].as_dict()}


# ---- domain-rules.md §2.5: single 65+ pensioner, R6 and R7 ------------------------------------------------
WORKED = [
    # receipts, reduction, R6, R7
    # 80万: 所得 max(0, 80−110)=0, base 0, 判定 0 ≤ 43万 → 7割: 58,000×0.3 = 17,400
    (800_000, "70%", 17_400, 17_400),
    # 153万: 所得 43万, base 0, 判定 28万 ≤ 43万 → 7割 → 17,400
    (1_530_000, "70%", 17_400, 17_400),
    # 180万: 所得 70万, base 27万, 判定 55万: > 43万, ≤ 72.5万 (R6) / 73.5万 (R7) → 5割 29,000
    #   R6: 270,000×10.80% = 29,160 → 58,160 → 58,100; R7: ×10.98% = 29,646 → 58,646 → 58,600
    (1_800_000, "50%", 58_100, 58_600),
    # 200万: 所得 90万, base 47万, 判定 75万 > 72.5/73.5万, ≤ 97.5/99万 → 2割 46,400
    #   R6: 470,000×10.80% = 50,760 → 97,160 → 97,100; R7: ×10.98% = 51,606 → 98,006 → 98,000
    (2_000_000, "20%", 97_100, 98_000),
    # 211万: 所得 101万, base 58万 (≤ 58万 → R6 10.80%), 判定 86万 → 2割
    #   R6: 580,000×10.80% = 62,640 → 109,040 → 109,000; R7: ×10.98% = 63,684 → 110,084 → 110,000
    (2_110_000, "20%", 109_000, 110_000),
    # 250万: 所得 140万, base 97万, 判定 125万 > 97.5/99万 → none: 58,000 + 970,000×10.98% = 106,506 → 164,500
    (2_500_000, None, 164_500, 164_500),
]


@pytest.mark.parametrize(("receipts", "reduction", "r6", "r7"), WORKED, ids=[str(w[0]) for w in WORKED])
def test_the_worked_examples_of_section_2_5(receipts: int, reduction: str | None, r6: int, r7: int) -> None:
    for year, expected in ((2024, r6), (2025, r7)):
        result = single(year, public_pension_receipts=receipts)
        assert (result["reduction"], result["annual_premium"]) == (reduction, expected), year
        assert result["months"] == 12 and not result["capped"] and not result["provisional"]


def test_the_issue_example_answer() -> None:
    assert single(2025, public_pension_receipts=1_530_000) == {
        "reduction": "70%", "id": "a", "equal_share": 17_400, "income_share": 0, "annual_premium": 17_400,
        "months": 12, "capped": False, "provisional": False}


# ---- each 軽減 boundary: equal to the line counts as below ("以下") -------------------------------------
def test_seven_tenths_line_is_inclusive() -> None:
    # 判定 = 43万 exactly: 所得 58万 (判定 + 15万) ← receipts 168万 (所得 + 110万); base 58−43 = 15万
    # 7割 17,400 + 150,000×10.98% = 16,470 → 33,870 → 33,800
    assert single(2025, public_pension_receipts=1_680_000)["annual_premium"] == 33_800
    # one yen more: 判定 430,001 → 5割 29,000; base 150,001×10.98% = 16,470.1098 → 16,470 → 45,470 → 45,400
    above = single(2025, public_pension_receipts=1_680_001)
    assert (above["reduction"], above["annual_premium"]) == ("50%", 45_400)


def test_five_tenths_line_is_inclusive() -> None:
    # R7 5割 line for one insured: 43万 + 30.5万 = 73.5万 → 所得 88.5万 → receipts 88.5 + 110 = 198.5万; base 45.5万
    # 29,000 + 455,000×10.98% = 49,959 → 78,959 → 78,900
    at = single(2025, public_pension_receipts=1_985_000)
    assert (at["reduction"], at["annual_premium"]) == ("50%", 78_900)
    # +1 yen → 2割 46,400 + floor(455,001×10.98%) = 49,959 → 96,359 → 96,300
    above = single(2025, public_pension_receipts=1_985_001)
    assert (above["reduction"], above["annual_premium"]) == ("20%", 96_300)


def test_two_tenths_line_is_inclusive_r7_and_r6() -> None:
    # R7: 43万 + 56万 = 99万 → 所得 114万 → receipts 224万; base 71万: 46,400 + 77,958 = 124,358 → 124,300
    assert single(2025, public_pension_receipts=2_240_000)["annual_premium"] == 124_300
    # +1 yen → none: 58,000 + floor(710,001×10.98%) = 77,958 → 135,958 → 135,900
    above = single(2025, public_pension_receipts=2_240_001)
    assert (above["reduction"], above["annual_premium"]) == (None, 135_900)
    # R6: 43万 + 54.5万 = 97.5万 → 所得 112.5万 → receipts 222.5万; base 69.5万 > 58万 → 10.98%
    # 46,400 + 695,000×10.98% = 76,311 → 122,711 → 122,700
    r6 = single(2024, public_pension_receipts=2_225_000)
    assert (r6["reduction"], r6["annual_premium"]) == ("20%", 122_700)


# ---- households of two, 給与所得者等 ------------------------------------------------------------------------
def test_two_insured_pensioners_share_the_five_tenths_line() -> None:
    # husband 200万 → 所得 90万, 判定 75万; wife 80万 → 所得 0, 判定 0. Total 75万; 被保険者 2;
    # earners: 200万 > 125万 → 1 (wife ≤ 125万) → term 0. 5割 line 43万 + 30.5万×2 = 104万 → 5割.
    # husband: 29,000 + 470,000×10.98% = 51,606 → 80,606 → 80,600; wife: 29,000 + 0 → 29,000
    result = calculate(2025, [Member("h", True, True, OLD, public_pension_receipts=2_000_000),
                              Member("w", True, False, date(1949, 1, 5), public_pension_receipts=800_000)])
    assert result.reduction == "50%"
    assert [m.annual_premium for m in result.members] == [80_600, 29_000]


def test_no_earner_counts_as_one() -> None:
    # other 所得 (不動産) 40万 only: 判定 40万; earners 0 → treated as 1 → term 0 → 7割 line 43万 → 7割 17,400
    # (a count of 0 taken literally would lower the line to 33万 and give 5割 29,000)
    result = single(2025, other_income=400_000)
    assert (result["reduction"], result["annual_premium"]) == ("70%", 17_400)


def test_two_earners_raise_every_line_by_ten_man() -> None:
    # husband salary 100万 → 給与所得 1,000,000 − 550,000 = 45万 (判定 45万: the 15万 is for pensions only)
    # wife pension 190万 → 所得 80万, 判定 65万. Total 110万. Earners: 100万 > 55万, 190万 > 125万 → 2 → +10万
    # 5割 line 43 + 30.5×2 + 10 = 114万 ≥ 110万 → 5割 (with one earner it would be 104万 → 2割)
    # husband base 2万 → 2,196 → 31,196 → 31,100; wife base 37万 → 40,626 → 69,626 → 69,600
    result = calculate(2025, [Member("h", True, True, OLD, salary_receipts=1_000_000),
                              Member("w", True, False, OLD, public_pension_receipts=1_900_000)])
    assert result.reduction == "50%"
    assert [m.annual_premium for m in result.members] == [31_100, 69_600]


def test_the_uninsured_head_of_household_is_in_the_test() -> None:
    # head aged 50, not insured, salary 300万 → 3,000,000×0.7 − 80,000 = 202万; mother pension 80万 → 0.
    # Total 202万 > 2割 line 99万 → no reduction: 58,000 (alone she would get 7割 17,400)
    result = calculate(2025, [Member("son", False, True, date(1975, 3, 3), salary_receipts=3_000_000),
                              Member("mother", True, False, OLD, public_pension_receipts=800_000)])
    assert result.reduction is None
    assert [(m.id, m.annual_premium) for m in result.members] == [("mother", 58_000)]


def test_undeclared_income_gets_no_reduction() -> None:
    # 熊本市 FAQ 4292: no 申告 → no 軽減: 均等割 58,000 in full, nothing known to levy 所得割 on
    result = single(2025, undeclared=True)
    assert (result["reduction"], result["annual_premium"]) == (None, 58_000)


def test_dedicated_worker_deduction_is_added_back_for_the_test_only() -> None:
    # net other 所得 50万 after a 専従者控除 of 30万: 判定 80万 → 2割 (≤ 99万, > 73.5万) → 46,400;
    # base 50万 − 43万 = 7万 → 7,686 → 54,086 → 54,000 (without the add-back: 判定 50万 → 5割 → 36,600)
    result = single(2025, other_income=500_000, dedicated_worker_deduction=300_000)
    assert (result["reduction"], result["annual_premium"]) == ("20%", 54_000)


# ---- 元被扶養者 ------------------------------------------------------------------------------------------------
def test_former_dependant_half_for_24_months_then_full() -> None:
    # born 1948-06-15 → insured 2023-06-15; 5割 for 2023-06 … 2025-05. FY2025: April, May at 29,000, ten months
    # at 58,000 (pension 250万: 判定 125万 → no low-income 軽減); 所得割 0 (当分の間).
    # (2×29,000 + 10×58,000) / 12 = 638,000 / 12 = 53,166 → 53,100
    result = single(2025, birth_date=date(1948, 6, 15), acquired_on=date(2023, 6, 15), former_dependant=True,
                    public_pension_receipts=2_500_000)
    assert (result["income_share"], result["annual_premium"]) == (0, 53_100)


def test_former_dependant_within_24_months_pays_half_and_no_income_share() -> None:
    # insured 2024-10-01, window 2024-10 … 2026-09 covers FY2025: 29,000 + 0 = 29,000 (not 164,500)
    result = single(2025, birth_date=date(1949, 10, 1), acquired_on=date(2024, 10, 1), former_dependant=True,
                    public_pension_receipts=2_500_000)
    assert (result["equal_share"], result["income_share"], result["annual_premium"]) == (29_000, 0, 29_000)


def test_former_dependant_takes_seven_tenths_when_larger() -> None:
    # pension 168万: 判定 43万 → 7割 (larger than 5割): 17,400; base 15万 but 所得割 0 → 17,400 (not 33,800)
    result = single(2025, birth_date=date(1949, 10, 1), acquired_on=date(2024, 10, 1), former_dependant=True,
                    public_pension_receipts=1_680_000)
    assert (result["reduction"], result["annual_premium"]) == ("70%", 17_400)


# ---- the cap, and the R6 transitional rules -----------------------------------------------------------------
def test_the_cap() -> None:
    # pension 1,000万 (65+): 控除 10,000,000×5% + 1,455,000 = 1,955,000 → 所得 8,045,000; base 7,615,000
    # 58,000 + 7,615,000×10.98% = 836,127 → 894,127 > 800,000 → 800,000
    result = single(2025, public_pension_receipts=10_000_000)
    assert (result["annual_premium"], result["capped"]) == (800_000, True)


def test_r6_transitional_cap_by_birth_date() -> None:
    # same income in R6 (base > 58万 → 10.98%): 894,127; born 1948 (≤ 昭和24.3.31) → cap 73万
    assert single(2024, public_pension_receipts=10_000_000)["annual_premium"] == 730_000
    # born 1949-04-01: 75 on 2024-04-01, insured the whole year, but after 1949-03-31 → cap 80万
    later = single(2024, birth_date=date(1949, 4, 1), public_pension_receipts=10_000_000)
    assert (later["annual_premium"], later["months"]) == (800_000, 12)
    # born 1949-03-31 is the last day in → 73万
    assert single(2024, birth_date=date(1949, 3, 31), public_pension_receipts=10_000_000)["annual_premium"] == 730_000


def test_r6_reduced_rate_stops_one_yen_above_58_man() -> None:
    # receipts 2,110,001: 所得 1,010,001, base 580,001 > 58万 → 10.98%: floor(63,684.1098) = 63,684;
    # 判定 860,001 → 2割 46,400 → 110,084 → 110,000 (at base 58万 exactly: 109,000, §2.5)
    assert single(2024, public_pension_receipts=2_110_001)["annual_premium"] == 110_000


# ---- 月割 -----------------------------------------------------------------------------------------------------
def test_mid_year_acquisition_by_the_75th_birthday() -> None:
    # born 1950-10-15 → insured 2025-10-15 (法第52条) → October–March, 6 months; pension 180万 → 5割:
    # (29,000 + 29,646) × 6/12 = 29,323 → 29,300; shares 月割: 14,500 and 14,823
    result = single(2025, birth_date=date(1950, 10, 15), public_pension_receipts=1_800_000)
    assert (result["months"], result["equal_share"], result["income_share"], result["annual_premium"]) == \
        (6, 14_500, 14_823, 29_300)
    # born on the 1st (1950-11-01): insured 2025-11-01 → 5 months: 58,646 × 5/12 = 24,435.8 → 24,400
    first = single(2025, birth_date=date(1950, 11, 1), public_pension_receipts=1_800_000)
    assert (first["months"], first["annual_premium"]) == (5, 24_400)


def test_loss_by_death_is_the_next_day() -> None:
    # death 4/29 → 喪失 4/30 → no April (見附市): 0; death 4/30 → 喪失 5/1 → April: 58,646/12 = 4,887 → 4,800
    assert single(2025, lost_on=date(2025, 4, 30), public_pension_receipts=1_800_000)["annual_premium"] == 0
    april = single(2025, lost_on=date(2025, 5, 1), public_pension_receipts=1_800_000)
    assert (april["months"], april["annual_premium"]) == (1, 4_800)


# ---- ages and income tables -----------------------------------------------------------------------------------
def test_sixty_five_on_31_december_of_the_income_year() -> None:
    # born 1960-01-01 is 65 at the end of 2024-12-31 (年齢計算ニ関スル法律): 65+ table: 150万 → 所得 40万,
    # 判定 40 − 15 = 25万 → 7割, base 0 → 17,400
    certified = date(2024, 1, 10)
    older = single(2025, birth_date=date(1960, 1, 1), disability_certified_on=certified,
                   public_pension_receipts=1_500_000)
    assert (older["reduction"], older["annual_premium"]) == ("70%", 17_400)
    # born 1960-01-02 is 64: under-65 table 150万×25% + 27.5万 = 65万 → 所得 85万, no 15万 → 判定 85万 → 2割;
    # base 42万 → 46,116 → 46,400 + 46,116 = 92,516 → 92,500
    younger = single(2025, birth_date=date(1960, 1, 2), disability_certified_on=certified,
                     public_pension_receipts=1_500_000)
    assert (younger["reduction"], younger["annual_premium"]) == ("20%", 92_500)


def test_salary_and_pension_income_adjustment() -> None:
    # salary 100万 → 45万; pension 200万 → 90万; 所得金額調整控除 10万 + 10万 − 10万 = 10万 → 総所得 125万
    # 判定 125 − 15 = 110万; earners 2 → 2割 line 43 + 56 + 10 = 109万 < 110万 → none
    # base 82万 → 90,036 → 148,036 → 148,000 (without the adjustment: 159,000)
    result = single(2025, salary_receipts=1_000_000, public_pension_receipts=2_000_000)
    assert (result["reduction"], result["annual_premium"]) == (None, 148_000)


def test_salary_table_steps_at_1_8_man() -> None:
    # 1,800,000: row 180万–360万, ×70% − 8万 = 1,180,000; 1,799,999: floor to 4,000 → 1,796,000×60% + 10万 =
    # 1,177,600. One insured, 65+, R7: base 75万 / 747,600; 判定 118万 / 1,177,600 → none (2割 line 99万)
    # 58,000 + 750,000×10.98% = 82,350 → 140,350 → 140,300; 58,000 + 747,600×10.98% = 82,086 → 140,086 → 140,000
    assert single(2025, salary_receipts=1_800_000)["annual_premium"] == 140_300
    assert single(2025, salary_receipts=1_799_999)["annual_premium"] == 140_000


# ---- provisional figures and bad input ------------------------------------------------------------------------
def test_r8_says_it_uses_provisional_figures() -> None:
    # R8: 医療分 63,000 ×0.3 = 18,900 + 支援金分 1,400 × 0.3 = 420 → 19,320 → 19,300 (7割 line carried from R7)
    result = calculate(2026, [Member("a", True, True, OLD, public_pension_receipts=800_000)])
    assert result.members[0].annual_premium == 19_300 and result.members[0].provisional
    assert {"2026.medical", "2026.child-support", "2026.low_income_reduction"} <= set(result.provisional_figures)
    assert calculate(2025, [Member("a", True, True, OLD)]).provisional_figures == []


@pytest.mark.parametrize(("members", "field"), [
    ([Member("a", False, True, OLD)], "members"),
    ([Member("a", True, True, OLD), Member("a", True, False, OLD)], "members[1].id"),
    ([Member("a", True, True, date(1960, 5, 5))], "members[0].birth_date"),
    ([Member("a", True, True, OLD, former_dependant=True)], "members[0].acquired_on"),
    ([Member("a", True, True, date(1951, 5, 5), acquired_on=date(2025, 4, 1))], "members[0].acquired_on"),
])
def test_a_household_that_cannot_be_assessed_is_refused_by_field(members: list[Member], field: str) -> None:
    with pytest.raises(InvalidHousehold) as refused:
        calculate(2025, members)
    assert refused.value.errors[0]["field"] == field  # type: ignore[index]


def test_a_spouse_joining_mid_year_is_tested_on_her_own_acquisition_day() -> None:
    # husband (insured all year) 200万 → 判定 75万; on 4/1 the wife (75 on 2025-11-03) is not insured yet, nor the
    # head: 1 insured → 5割 line 73.5万 < 75万 → 2割: 46,400 + 51,606 = 98,006 → 98,000.
    # wife on 11/3: 2 insured → 5割 line 104万 ≥ 75万 → 5割; base 0; November–March: 29,000 × 5/12 = 12,083 → 12,000
    result = calculate(2025, [Member("h", True, True, OLD, public_pension_receipts=2_000_000),
                              Member("w", True, False, date(1950, 11, 3), public_pension_receipts=800_000)])
    assert result.reduction == "20%"
    assert [(m.reduction, m.months, m.annual_premium) for m in result.members] == [("20%", 12, 98_000),
                                                                                   ("50%", 5, 12_000)]


def test_salary_table_rows_of_betsuhyo_5() -> None:
    # 所得税法 別表第五: below 551,000 nothing; then 1,000-yen steps − 55万; special rows from 1,619,000;
    # from 1,628,000 the receipts rounded down to 4,000 × 60% + 10万
    from functions.assessment.rules.income import salary_income
    from functions.assessment.rules.parameters import Provenance

    cases = {550_999: 0, 551_000: 1_000, 1_618_999: 1_068_000, 1_619_000: 1_069_000, 1_621_999: 1_070_000,
             1_627_999: 1_074_000, 1_628_000: 1_076_800, 8_500_000: 6_550_000}
    assert {r: salary_income(r, 2024, Provenance()) for r in cases} == cases


def test_basic_deduction_tapers_above_24_million() -> None:
    # 43万 up to and including 2,400万; 29万 above it; 15万 above 2,450万; 0 above 2,500万
    from functions.assessment.rules.income import basic_deduction
    from functions.assessment.rules.parameters import Provenance, fiscal_year_parameters

    p = fiscal_year_parameters(2025)
    got = {t: basic_deduction(t, p, Provenance()) for t in (24_000_000, 24_000_001, 24_500_001, 25_000_000,
                                                            25_000_001)}
    assert got == {24_000_000: 430_000, 24_000_001: 290_000, 24_500_001: 150_000, 25_000_000: 150_000,
                   25_000_001: 0}


def test_a_29_february_birthday_acquires_on_1_march() -> None:
    # born 1952-02-29: 75 in 2027, a common year → insured from 2027-03-01 (法第52条): March only in FY2026;
    # R8 7割: (18,900 + 420) / 12 = 1,610 → 1,600
    from functions.assessment.rules.dates import seventy_fifth_birthday

    assert seventy_fifth_birthday(date(1952, 2, 29)) == date(2027, 3, 1)
    assert seventy_fifth_birthday(date(1953, 2, 28)) == date(2028, 2, 28)
    result = calculate(2026, [Member("a", True, True, date(1952, 2, 29))])
    assert (result.members[0].months, result.members[0].annual_premium) == (1, 1_600)


# ---- 給与所得者等: "超" lines, equal is not an earner (令第18条第1項第1号; domain-rules.md §2.3) -----------------
WIFE = Member("w", True, False, OLD, public_pension_receipts=1_750_000)
# wife 175万 (> 125万: an earner): 所得 175 − 110 = 65万, 判定 65 − 15 = 50万, base 65 − 43 = 22万 →
# 所得割 220,000 × 10.98% = 24,156. Between the 7割 lines for one earner (43万) and two (53万):
# one earner → 5割: 29,000 + 24,156 = 53,156 → 53,100; two → 7割: 17,400 + 24,156 = 41,556 → 41,500


def test_salary_of_exactly_55_man_is_not_an_earner() -> None:
    # husband salary 550,000: 給与所得 0 (別表第五: below 551,000), 55万 is not "55万超" → earners 1 → 5割 29,000
    at = calculate(2025, [Member("h", True, True, OLD, salary_receipts=550_000), WIFE])
    assert (at.reduction, [m.annual_premium for m in at.members]) == ("50%", [29_000, 53_100])
    # 550,001: still 給与所得 0, but an earner → 2 → 7割 line 53万 ≥ 50万 → 7割 17,400
    above = calculate(2025, [Member("h", True, True, OLD, salary_receipts=550_001), WIFE])
    assert (above.reduction, [m.annual_premium for m in above.members]) == ("70%", [17_400, 41_500])


def test_a_pension_of_exactly_125_man_is_not_an_earner_at_65() -> None:
    # husband pension 125万: 所得 15万, 判定 0, base 0; not "125万超" → earners 1 → 5割: 29,000 and 53,100
    at = calculate(2025, [Member("h", True, True, OLD, public_pension_receipts=1_250_000), WIFE])
    assert (at.reduction, [m.annual_premium for m in at.members]) == ("50%", [29_000, 53_100])
    # 1,250,001: 所得 150,001, 判定 1 → total 500,001 ≤ 53万 (two earners) → 7割: 17,400 and 41,500
    above = calculate(2025, [Member("h", True, True, OLD, public_pension_receipts=1_250_001), WIFE])
    assert (above.reduction, [m.annual_premium for m in above.members]) == ("70%", [17_400, 41_500])


def test_a_pension_of_exactly_60_man_is_not_an_earner_under_65() -> None:
    # uninsured head aged 59 (born 1965-05-05): pension 60万 → 所得 0 (控除 60万, under 65), not "60万超";
    # mother (the WIFE figures) → earners 1 → 5割 53,100; 600,001 → 所得 1, an earner → 7割 41,500
    head = Member("son", False, True, date(1965, 5, 5), public_pension_receipts=600_000)
    mother = replace(WIFE, id="mother")
    assert calculate(2025, [head, mother]).members[0].annual_premium == 53_100
    assert calculate(2025, [replace(head, public_pension_receipts=600_001), mother]).members[0].annual_premium == \
        41_500


def test_a_member_lost_on_1_april_is_not_in_the_household_test() -> None:
    # wife died 3/31 → 喪失 4/1: not insured on 4月1日, so not counted. Husband alone: 判定 75万 (pension 200万)
    # > 5割 line for one 73.5万, ≤ 99万 → 2割: 46,400 + 51,606 = 98,006 → 98,000 (counting her: 5割 80,600)
    result = calculate(2025, [Member("h", True, True, OLD, public_pension_receipts=2_000_000),
                              Member("w", True, False, date(1949, 1, 5), public_pension_receipts=800_000,
                                     lost_on=date(2025, 4, 1))])
    assert result.reduction == "20%"
    assert result.members[0].annual_premium == 98_000
