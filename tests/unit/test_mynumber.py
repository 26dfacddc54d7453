"""個人番号 validation: check digit per 番号法施行令第8条 and 総務省令第85号第5条."""

import pytest

from shared.domain.mynumber import InvalidMyNumber, MyNumberRule, check_digit, normalise, parse_my_number


@pytest.mark.parametrize("eleven, expected", [
    ("12345678901", 8),  # Σ = 212, 212 mod 11 = 3, 11 − 3 = 8 (domain-rules §1)
    ("98320567321", 4),  # Σ = 238, mod 11 = 7 → 4; the published "valid" example 983205673214
    ("00000000000", 0),  # remainder 0 → 0
    ("11111111111", 8),  # Σ = 47, mod 11 = 3 → 8
    ("00000000001", 9),  # Σ = 1·2 = 2, mod 11 = 2 → 9
    ("00000000005", 1),  # Σ = 5·2 = 10, mod 11 = 10 → 1
    ("00000000006", 0),  # Σ = 6·2 = 12, mod 11 = 1 → 0 (余りが1なら0)
    ("10000000000", 5),  # Σ = 1·6 = 6, mod 11 = 6 → 5 (the leftmost digit has weight Q11 = 6)
])
def test_check_digit_worked_examples(eleven: str, expected: int) -> None:
    assert check_digit(eleven) == expected


@pytest.mark.parametrize("raw", ["123456789018", "1234 5678 9018", "1234-5678-9018", "１２３４５６７８９０１８",
                                 "１２３４－５６７８－９０１８", " 983205673214 ", "9832　0567　3214"])
def test_accepted_forms_normalise_to_twelve_digits(raw: str) -> None:
    assert len(parse_my_number(raw).digits) == 12


@pytest.mark.parametrize("raw, rule", [
    ("12345678901", MyNumberRule.LENGTH),
    ("1234567890185", MyNumberRule.LENGTH),
    ("", MyNumberRule.LENGTH),
    ("12345678901A", MyNumberRule.CHARACTERS),
    ("1234.5678.9018", MyNumberRule.CHARACTERS),
    ("١٢٣٤٥٦٧٨٩٠١٨", MyNumberRule.CHARACTERS),  # Arabic-Indic digits are digits, but not ours
    ("123456789010", MyNumberRule.CHECK_DIGIT),
    ("983205673215", MyNumberRule.CHECK_DIGIT),
])
def test_invalid_forms_name_the_rule_and_never_the_number(raw: str, rule: MyNumberRule) -> None:
    with pytest.raises(InvalidMyNumber) as error:
        parse_my_number(raw)
    assert error.value.rule is rule
    digits = normalise(raw)
    assert not digits or digits[:6] not in str(error.value)


def test_the_value_object_never_prints_its_digits() -> None:
    number = parse_my_number("123456789018")
    assert "1234" not in repr(number) and "1234" not in str(number) and "1234" not in f"{number}"
