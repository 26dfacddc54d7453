"""Bank accounts, stored once and referred to by `account_ref` everywhere else: registrations, refund decisions
and the change requests a checker sees carry only the reference and a masked summary, so no list, log or
pending change ever shows an account number (issue 14 standards; the number reaches only the bank's file)."""

from __future__ import annotations

from typing import Any

from functions.collection.rules.bank_account import BankAccount
from shared.domain.ids import new_id
from shared.runtime import Runtime

__all__ = ["ACCOUNTS", "accounts_by_ref", "store_account"]

ACCOUNTS = "bank-accounts"


def store_account(rt: Runtime, person_id: str, account: BankAccount, source: str, staff_id: str) -> str:
    """Keep a validated account (never changed afterwards: a new account is a new record) and return its ref."""
    ref = new_id("BA")
    rt.records(ACCOUNTS).put_new({"account_ref": ref, "person_id": person_id, "source": source,
                                  "bank_code": account.bank_code, "branch_code": account.branch_code,
                                  "account_type": account.account_type, "account_number": account.account_number,
                                  "holder_kana": account.holder_kana, "created_by": staff_id,
                                  "created_at": rt.clock().isoformat()})
    return ref


def accounts_by_ref(rt: Runtime, refs: list[str]) -> dict[str, BankAccount]:
    found: dict[str, dict[str, Any]] = rt.records(ACCOUNTS).get_many(refs)
    return {ref: BankAccount(r["bank_code"], r["branch_code"], r["account_type"], r["account_number"],
                             r["holder_kana"]) for ref, r in found.items()}
