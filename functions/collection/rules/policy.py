"""The collection parameters of `data/collection_policy.json` (design rule 4: data with their source; the [U]
ones stay configurable until 熊本市's 条例 and 規則 are read — domain-rules-2.md, "Still open")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["BankConfig", "DunningPolicy", "LimitationPolicy", "OrdinaryCalendar", "Policy", "bank_config", "data_file",
           "policy"]


def data_file(name: str) -> Any:
    return json.loads(resources.files("functions.collection.rules").joinpath(f"data/{name}").read_text("utf-8"))


@dataclass(frozen=True)
class DunningPolicy:
    legal_limit_days: int  # 督促 within this many days after the 納期限
    wait_days: int  # … but not before this many (payments of the last day must arrive first)
    deadline_days: int  # 指定期限 of the 督促状, counted from the day it is sent
    fee: int  # 督促手数料, yen


@dataclass(frozen=True)
class LimitationPolicy:
    premium_years: int
    refund_years: int
    late_fee_years: int


@dataclass(frozen=True)
class OrdinaryCalendar:
    months: tuple[int, ...]  # 普通徴収 納期 months, 7 … 3
    december_day: int  # 25, or 31 for 末日
    notice_days: int
    unit: int


@dataclass(frozen=True)
class BankConfig:
    """The city's codes with its 指定金融機関 (data/bank_config.json; placeholders until assigned [U])."""

    counterparty: str
    consignor_code: str
    consignor_name: str
    transfer_requester_code: str
    bank_code: str
    bank_name: str
    branch_code: str
    branch_name: str
    account_type: str
    account_number: str
    crlf: bool


@cache
def bank_config() -> BankConfig:
    return _pick(BankConfig, data_file("bank_config.json"))


@dataclass(frozen=True)
class Policy:
    dunning: DunningPolicy
    limitation: LimitationPolicy
    ordinary: OrdinaryCalendar


def _pick(kind: type, raw: dict[str, Any]) -> Any:
    names = kind.__dataclass_fields__  # type: ignore[attr-defined]
    return kind(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in names})


@cache
def policy() -> Policy:
    raw = data_file("collection_policy.json")
    return Policy(_pick(DunningPolicy, raw["dunning"]), _pick(LimitationPolicy, raw["limitation"]),
                  _pick(OrdinaryCalendar, raw["ordinary_collection"]))
