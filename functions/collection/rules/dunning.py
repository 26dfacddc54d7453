"""督促 (地方自治法第231条の3第1項; domain-rules.md §3.4, domain-rules-2.md §3).

After its 納期限 an unpaid 普通徴収 期 is in arrears; a 督促状 with a designated deadline (指定期限) goes out
within 20 days of the 納期限 (city 規則 pattern, 富山市 第6条 [V]; 熊本市 [U]) but not before `wait_days`, so the
payments of the last day reach the city first. The 指定期限 is 10 days from the day it is sent (地方税法第329条第2項
counting), moved to an open day (地方自治法第4条の2第4項). 督促 renews the 時効 (法第160条第2項; `limitation.py`).
The 督促手数料 is a parameter (none found for 熊本市 後期: 0). Parameters: `data/collection_policy.json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from functions.collection.rules.days import next_open_day
from functions.collection.rules.ledger import Instalment, Ledger, Method
from functions.collection.rules.policy import DunningPolicy, policy

__all__ = ["DunningDecision", "due_dates_to_dun", "dunning_decision", "notice_deadline"]


@dataclass(frozen=True)
class DunningDecision:
    issue: bool
    late: bool = False  # later than the 20 days: still sent (the 督促 stands), and reported
    unpaid: int = 0


def notice_deadline(issued_on: date, rules: DunningPolicy | None = None) -> date:
    return next_open_day(issued_on + timedelta(days=(rules or policy().dunning).deadline_days))


def due_dates_to_dun(today: date, rules: DunningPolicy | None = None) -> list[date]:
    """The 納期限 whose 期 a run on `today` looks at: waited long enough, and still within the 20 days (earlier
    ones were dunned by earlier runs; a 期 missed beyond that is found by `arrears` reports, not re-dunned late)."""
    rules = rules or policy().dunning
    return [today - timedelta(days=d) for d in range(rules.wait_days, rules.legal_limit_days + 1)]


def dunning_decision(instalment: Instalment, ledger: Ledger, today: date, rules: DunningPolicy | None = None) -> \
        DunningDecision:
    """Does this 期 get a 督促状 today? Ordinary, still active, unpaid after counting payments a 速報 announced,
    never dunned, and `wait_days` past its 納期限."""
    rules = rules or policy().dunning
    unpaid = ledger.outstanding(instalment) - sum(ledger.provisional.values())
    if (instalment.method is not Method.ORDINARY or not instalment.collectable or unpaid <= 0
            or ledger.dunning or today < instalment.due_date + timedelta(days=rules.wait_days)):
        return DunningDecision(False, unpaid=max(unpaid, 0))
    return DunningDecision(True, today > instalment.due_date + timedelta(days=rules.legal_limit_days), unpaid)
