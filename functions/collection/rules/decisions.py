"""What a collection decision taken through maker-checker may say (design rule 6; PIA-III-2-l): the checks each
entity kind of `workflow.py` runs on a proposal before it is stored, so a checker confirms only well-formed
decisions. The arithmetic behind them (how much, which 期) is computed by the services, not typed in."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from shared.domain.ids import PERSON_ID_PATTERN
from shared.domain.person import InvalidChange

__all__ = ["PAYMENT_NUMBER", "validate_debit_registration", "validate_refund_decision", "validate_remission",
           "validate_suspense_resolution", "validate_write_off"]

PAYMENT_NUMBER = r"^[0-9]{1,20}$"  # 納付番号: the 全銀 顧客番号 holds 20


def _require(values: dict[str, Any], *names: str) -> None:
    missing = [n for n in names if values.get(n) in (None, "")]
    if missing:
        raise InvalidChange(f"the decision needs: {', '.join(missing)}")


def _person(values: dict[str, Any]) -> None:
    if not re.fullmatch(PERSON_ID_PATTERN, str(values.get("person_id", ""))):
        raise InvalidChange("person_id is a 宛名番号 (P…)")


def _number(values: dict[str, Any]) -> None:
    if not re.fullmatch(PAYMENT_NUMBER, str(values.get("payment_number", ""))):
        raise InvalidChange("payment_number is a 納付番号 of 1–20 digits")


def _yen(values: dict[str, Any], name: str, minimum: int = 1) -> None:
    value = values.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise InvalidChange(f"{name} is a whole number of yen of at least {minimum}")


def _day(values: dict[str, Any], name: str) -> None:
    try:
        date.fromisoformat(str(values.get(name)))
    except ValueError:
        raise InvalidChange(f"{name} is a date (YYYY-MM-DD)") from None


def validate_suspense_resolution(values: dict[str, Any]) -> None:
    """未確認入金 → a 期 (`payment_number`), or, when the payer is known but no 期 can take it, an over-payment of
    that person (`to_overpayment`), to be refunded or offset."""
    _require(values, "status", "person_id", "resolution_note")
    if values["status"] != "resolved":
        raise InvalidChange("a resolution sets status 'resolved'")
    _person(values)
    if values.get("to_overpayment") is True:
        return
    _number(values)


def validate_debit_registration(values: dict[str, Any]) -> None:
    _require(values, "person_id", "account_ref", "status", "starts_on")
    _person(values)
    if values["status"] not in ("active", "ended"):
        raise InvalidChange("a registration is active or ended")
    _day(values, "starts_on")
    if "account_number" in values or ("account" in values and "****" not in str(values["account"])):
        raise InvalidChange("a registration refers to its account by account_ref; the number is never in it")


def validate_refund_decision(values: dict[str, Any]) -> None:
    _require(values, "status", "decision")
    if values["status"] != "decided":
        raise InvalidChange("a 充当・還付 decision sets status 'decided'")
    decision = values["decision"]
    if not isinstance(decision, dict):
        raise InvalidChange("decision is an object")
    _require(decision, "decided_on", "account")
    _day(decision, "decided_on")
    _yen(decision, "refund", 0)
    _yen(decision, "interest", 0)
    if decision["account"] not in ("public-funds", "named", "awaiting", "none"):
        raise InvalidChange("account is public-funds, named, awaiting, or none (nothing to pay out)")
    if decision["account"] != "awaiting" and decision["refund"] + decision["interest"] and not decision.get(
            "account_ref"):
        raise InvalidChange("a refund to an account names the account_ref")
    for offset in decision.get("offsets", []):
        _number(offset)
        _yen(offset, "principal", 0)
        _yen(offset, "late_fee", 0)


def validate_write_off(values: dict[str, Any]) -> None:
    """不納欠損 of one 期 whose 時効 has run (法第160条)."""
    _require(values, "kind", "person_id", "payment_number", "lapsed_on", "status", "reason")
    if values["kind"] != "write-off" or values["status"] != "decided":
        raise InvalidChange("a write-off has kind 'write-off' and status 'decided'")
    _person(values)
    _number(values)
    _day(values, "lapsed_on")
    _yen(values, "amount")


def validate_remission(values: dict[str, Any]) -> None:
    """延滞金 減免 by decision (the 条例's 減免 clause)."""
    _require(values, "kind", "person_id", "payment_number", "status", "reason")
    if values["kind"] != "late-fee-remission" or values["status"] != "decided":
        raise InvalidChange("a remission has kind 'late-fee-remission' and status 'decided'")
    _person(values)
    _number(values)
    _yen(values, "amount")
