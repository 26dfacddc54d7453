"""The 公金受取口座 (公金受取口座登録法, 令和3年法律第38号): where a refund goes when the person registered one.

§9 lets a paying body (地方公共団体の機関 included) ask the デジタル庁 for the registered account when it needs it
to pay (domain-rules-2.md §4, [V] text, numbering [P]). Whether a 保険料 過誤納 refund is a designated use is
[U], and the technical route (口座情報登録・連携システム or the 情報提供ネットワークシステム) is [P]: so production
ships the interface without a connection and says so (a refund then goes to the account the person names); local
mode has a counterpart with demo registrations. PIA-I-1-e (公金受取口座 via 情報提供NWS on request), PIA-II-3-b
(公金受取口座 vs 還付申請).
"""

from __future__ import annotations

from typing import Protocol

from functions.collection.rules.bank_account import BankAccount
from shared.domain.errors import Refused
from shared.runtime import Runtime

__all__ = ["LOCAL_REGISTRATIONS", "LocalRegistry", "NotConnected", "PublicFundsAccounts", "public_funds_accounts"]


class PublicFundsAccounts(Protocol):
    def lookup(self, person_id: str) -> BankAccount | None: ...


class NotConnected:
    """Production until the route and the designation are settled: asking is refused, not answered with None."""

    def lookup(self, person_id: str) -> BankAccount | None:
        raise Refused("the 公金受取口座 look-up is not connected in this deployment (公金受取口座登録法第9条; the "
                      "route and whether 保険料還付 is a designated use are not settled): name the account instead",
                      code="public-funds-not-connected")


# Local mode's stand-in for the デジタル庁 registry: demo persons who "registered" an account.
LOCAL_REGISTRATIONS = {"P0000000001": BankAccount("0182", "023", "1", "1111111", "ｸﾏﾓﾄ ﾀﾛｳ")}


class LocalRegistry:
    def lookup(self, person_id: str) -> BankAccount | None:
        return LOCAL_REGISTRATIONS.get(person_id)


def public_funds_accounts(rt: Runtime) -> PublicFundsAccounts:
    return LocalRegistry() if rt.settings.is_local else NotConnected()
