"""A bank account for 口座振替 or a refund, as the counter takes it (file-layouts.md §1–§2).

Digits are half-width only: a full-width ７ typed at the counter is refused, not guessed at, because a wrong
account number debits or pays someone else. Holder names are normalised to the banks' half-width kana
(`zengin_text.py`). Lists and logs never show the number: `masked` keeps the last three digits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from functions.collection.rules.zengin_text import NotWritable, zengin_kana
from shared.domain.errors import Invalid

__all__ = ["ACCOUNT_TYPES", "BankAccount", "InvalidAccount", "parse_bank_account"]

ACCOUNT_TYPES = {"1": "普通", "2": "当座", "4": "貯蓄"}  # 預金種目 (§1: 1, 2 for 口座振替; §2 adds 4 for 振込)
_DIGITS = {"bank_code": 4, "branch_code": 3, "account_number": 7}


class InvalidAccount(Invalid):
    code = "invalid-bank-account"
    title = "The bank account is not valid"


@dataclass(frozen=True)
class BankAccount:
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    holder_kana: str  # half-width, as the bank's file carries it

    @property
    def masked(self) -> str:
        return "****" + self.account_number[-3:]

    def summary(self) -> dict[str, str]:
        """What lists and change requests show: never the full number."""
        return {"bank_code": self.bank_code, "branch_code": self.branch_code,
                "account_type": ACCOUNT_TYPES[self.account_type], "account_number": self.masked,
                "holder_kana": self.holder_kana}


def parse_bank_account(raw: Mapping[str, Any]) -> BankAccount:
    """Check every field and report all that are wrong (never their values)."""
    errors: list[dict[str, Any]] = []
    for name, length in _DIGITS.items():
        value = raw.get(name)
        if not isinstance(value, str) or not re.fullmatch(rf"[0-9]{{{length}}}", value):
            errors.append({"field": name, "type": "digits",
                           "message": f"{length} half-width digits (0-9); full-width digits are not accepted"})
    if raw.get("account_type") not in ("1", "2", "4"):
        errors.append({"field": "account_type", "type": "code", "message": "1 普通, 2 当座 or 4 貯蓄"})
    holder = ""
    try:
        holder = zengin_kana(str(raw.get("holder_kana") or ""), 30)
    except NotWritable as invalid:
        errors += invalid.errors or [{"field": "holder_kana", "type": "kana", "message": invalid.detail}]
    if errors:
        raise InvalidAccount(f"the bank account has {len(errors)} invalid field(s)", errors=errors)
    return BankAccount(raw["bank_code"], raw["branch_code"], raw["account_type"], raw["account_number"], holder)
