"""Logs never carry anything shaped like a My Number (design rule 5)."""

import json
import logging

import pytest

from shared.observability import get_logger
from shared.security.redaction import REDACTED, contains_my_number_shape, redact_my_numbers


@pytest.mark.parametrize("text", [
    "123456789018",
    "1234 5678 9018",
    "1234-5678-9018",
    "１２３４５６７８９０１８",
    "１２３４－５６７８－９０１８",
    "番号は123456789018です",
    "mn=9832 0567 3214;",
    "¹²³⁴⁵⁶⁷⁸⁹⁰¹⁸",  # superscript digits
    "１２３４56789０１８",  # half- and full-width mixed
    "/intake/persons/123456789018?x=1",
    '{"my_number": "1234 5678 9018"}',
    "マイナンバー１２３４－５６７８－９０１８を確認",
])
def test_my_number_shapes_are_redacted(text: str) -> None:
    out = redact_my_numbers(text)
    assert REDACTED in out and not contains_my_number_shape(out)


@pytest.mark.parametrize("text", [
    "2026-11-26T21:11:00+09:00",
    "096-328-2111",
    "12345678901",  # 11 digits
    "1234567890123",  # 13 digits (法人番号)
    "amount=58000",
    "1234 5678 9018 3456",  # 16 digits: a longer run is not a My Number
    "duration_ms=0.123456789018",  # a decimal
])
def test_other_numbers_are_left_alone(text: str) -> None:
    assert redact_my_numbers(text) == text


@pytest.mark.parametrize("request_id", [
    "3f2a9c1b-1234-5678-9018-abcdefabcdef",  # uuid4 whose middle groups are all digits
    "abcdefab-cdef-4abc-8def-123456789018",  # uuid4 whose last group is all digits
    "12345678-1234-4567-8901-234567890123",  # a uuid of digits only: 32 digits, not 12
    "req-123456789018",
    "CR123456789018ABCD",
])
def test_identifiers_that_contain_twelve_digits_are_not_corrupted(request_id: str) -> None:
    """Only whole tokens are My Numbers: a request id keeps its digits (issue 10), in a log line too."""
    line = f"request_id={request_id} path=/intake/persons/P0000000001"
    assert redact_my_numbers(line) == line


def test_the_same_digits_standing_alone_are_redacted() -> None:
    """The twin of the case above: the digits of those ids, as a token of their own, are redacted."""
    assert redact_my_numbers("request_id=123456789018 next") == f"request_id={REDACTED} next"
    assert redact_my_numbers("ids: 1234-5678-9018, P1") == f"ids: {REDACTED}, P1"


def test_the_logger_redacts_messages_extras_and_exceptions(log_output) -> None:
    logger = get_logger()
    logger.info("looked up 123456789018", extra={"note": "１２３４５６７８９０１８"})
    try:
        raise ValueError("bad number 1234-5678-9018")
    except ValueError:
        logger.exception("failed")
    out = log_output()
    assert "123456789018" not in out and "9018" not in out.replace(REDACTED, "")
    assert out.count(REDACTED) >= 3
    assert all(json.loads(line)["service"] == "choju" for line in out.strip().splitlines())


def test_plain_logging_handlers_are_not_redacted_unless_configured(capsys: pytest.CaptureFixture[str]) -> None:
    """The negative twin: a handler without the redacting formatter leaks, which is why every handler gets it."""
    plain = logging.getLogger("plain-test")
    handler = logging.StreamHandler()
    plain.addHandler(handler)
    try:
        plain.warning("123456789018")
    finally:
        plain.removeHandler(handler)
    assert "123456789018" in capsys.readouterr().err
