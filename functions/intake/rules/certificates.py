"""資格確認書: who receives one and until when (PIA-I-1-a; domain-rules §4).

- Validity ends on 7/31; renewal every 8/1 (青森県広域連合規則第3条 on 施行規則第16条第2項; 熊本: 毎年8月1日更新).
- Until 2026-07-31 (厚労省 暫定運用, 通知 2025-04-03 and its extension) every insured person receives one
  職権, without application, whether or not they hold a マイナ保険証.
- From 2026-08-01 the rule is not settled in the sources ([P]): `rule="all"` keeps issuing to everyone,
  `rule="non-holders"` issues only to people without a マイナ保険証 (holders get 資格情報のお知らせ).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

TRANSITION_ENDS = date(2026, 7, 31)
CertificateRule = Literal["all", "non-holders"]
Reason = Literal["new", "renewal", "reissue"]


def valid_until(issued_on: date) -> date:
    """The next 7/31 on or after the day of issue."""
    this_year = date(issued_on.year, 7, 31)
    return this_year if issued_on <= this_year else date(issued_on.year + 1, 7, 31)


def receives_certificate(on: date, has_myna_insurance_card: bool, rule: CertificateRule) -> bool:
    if on <= TRANSITION_ENDS or rule == "all":
        return True
    return not has_myna_insurance_card


def mailing_month(seventy_fifth_birthday: date) -> str:
    """The card is mailed in the latter part of the month before the birthday (菊陽町, Kumamoto): 'YYYY-MM'."""
    year, month = seventy_fifth_birthday.year, seventy_fifth_birthday.month - 1
    if month == 0:
        year, month = year - 1, 12
    return f"{year:04d}-{month:02d}"
