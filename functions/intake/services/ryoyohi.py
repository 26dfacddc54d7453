"""療養費支給申請: the checks that need the records (PIA-I-1-f, III-2-j, III-2-k), before maker-checker.

The claim must be within the 2-year limit from the day after payment and for a period the person was insured
(rules.ryoyohi); the 移送費 My Number must be the person's own (the form carries the insured person's number,
so a number of someone else is a mistake or a misuse); a proxy applicant is checked against the register as
for every 届出.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.intake.rules.ryoyohi import insured_throughout, limitation_ends
from functions.intake.services.notifications import verify_proxy
from shared.adapters.persons import PersonRepository
from shared.domain.errors import Invalid, NotFound
from shared.domain.mynumber import parse_my_number
from shared.runtime import Runtime

__all__ = ["check_claim"]


def _invalid(detail: str, code: str) -> Invalid:
    return Invalid(detail, code=code, title="The application is not valid")


def check_claim(rt: Runtime, *, person_id: str, period_from: date, period_to: date, paid_on: date,
                received_on: date, my_number: str | None, applicant: dict[str, Any]) -> dict[str, Any]:
    """Refuse a claim the rules do not allow; returns what the application records besides the body: the
    limitation day and the applicant (a proxy by person id only, never their number)."""
    person = rt.repository(PersonRepository).get(person_id)
    if person is None:
        raise NotFound("there is no such person")
    if paid_on > received_on:
        raise _invalid("the 支払日 is after the day the application is received", "invalid-change")
    last_day = limitation_ends(paid_on)
    if received_on > last_day:
        raise _invalid(f"the right to this 療養費 lapsed on {last_day.isoformat()}: 2 years from the day after the "
                      "支払日 (法第160条)", "ryoyohi-time-barred")
    if not insured_throughout(person, period_from, period_to):
        raise _invalid("the person was not insured on every day of the treatment period", "not-insured-in-period")
    if my_number is not None:
        index = rt.vault.blind_index(parse_my_number(my_number))
        if person_id not in {p["person_id"] for p in rt.repository(PersonRepository).by_mynumber_index(index)}:
            raise _invalid("the My Number is not the person's", "my-number-mismatch")
    recorded = {"type": applicant["type"], "relationship": applicant.get("relationship")}
    if applicant["type"] == "proxy":
        recorded["proxy_person_id"] = verify_proxy(rt, applicant["proxy_name_kana"], applicant["proxy_my_number"])
    return {"limitation_ends": last_day.isoformat(), "applicant": recorded}
