"""時効 and 不納欠損 (法第160条; domain-rules.md §6, domain-rules-2.md §5).

A premium (and other 徴収金) can no longer be collected 2 years after it could first be exercised — from the day
after its 納期限 (健保組合 analog [P]) — unless renewed: a 督促 renews it (法第160条第2項); the new period runs from
the day after the 督促状's 指定期限, as 地方税法第18条の2第1項第2号 counts 「督促状を発した日から起算して10日を
経過した日」 [P]; a partial payment is an acknowledgement (承認, 民法第152条第1項) and renews it from the next day
[P]. The right lapses without 援用 (地方自治法第236条第2項 read with 法第160条 [P]); the yearly 不納欠損 run lists
the lapsed 期 for a decision. Refund claims lapse after 2 years too (法第160条第1項).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from functions.collection.rules.periods import DAY, period_end

__all__ = ["lapse_day", "limitation_start"]


def limitation_start(due: date, dunning_deadline: date | None = None, payments: Iterable[date] = ()) -> date:
    """The first day of the running period: after the 納期限, or after the latest renewal."""
    renewals = [due, *([dunning_deadline] if dunning_deadline else []), *payments]
    return max(renewals) + DAY


def lapse_day(start: date, years: int) -> date:
    """The first day on which the right no longer exists: the day after the period's last day (民法第143条)."""
    return period_end(start, years=years) + DAY
