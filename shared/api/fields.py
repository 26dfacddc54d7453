"""Field types the API's request models share: checked at the edge, with the offending field named."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from shared.domain.calendar import SUPPORTED_DAYS
from shared.domain.ids import PERSON_ID_PATTERN
from shared.domain.mynumber import InvalidMyNumber, parse_my_number

__all__ = ["Day", "MyNumberText", "PersonId"]


def _valid_my_number(raw: str) -> str:
    """Refuse a malformed number where it was sent; the error type is the rule that failed, never the value."""
    try:
        parse_my_number(raw)
    except InvalidMyNumber as invalid:
        raise PydanticCustomError(invalid.rule.value, str(invalid)) from None
    return raw


PersonId = Annotated[str, Field(pattern=PERSON_ID_PATTERN, description="宛名番号 (person id)")]
MyNumberText = Annotated[str, Field(max_length=40, description="個人番号 (12 digits; spaces and hyphens ignored)"),
                         AfterValidator(_valid_my_number)]


def _within_supported_years(day: date) -> date:
    """Dates the system can reason about: 9999-12-31 as a 転出日 would overflow the day after (法53条)."""
    if not SUPPORTED_DAYS[0] <= day <= SUPPORTED_DAYS[1]:
        raise PydanticCustomError("date_out_of_range", "a date between {low} and {high}",
                                  {"low": SUPPORTED_DAYS[0].isoformat(), "high": SUPPORTED_DAYS[1].isoformat()})
    return day

Day = Annotated[date, AfterValidator(_within_supported_years)]
