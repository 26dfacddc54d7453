"""The 還付通知書 / 充当通知書 of a settled 充当・還付 decision (issue 19; docs/notices.md; PIA-I-1-e).

The notice is printed from the over-payment record (`overpayments`) once the settle step has posted its decision
(`settle._refund_decision`): the 過誤納金額 and its cause, each 充当 to a 期 and its 延滞金 as the decision made it
(those posted by an earlier decision of the same over-payment too: a refund that waited for an account),
the refund and its 還付加算金, and where it is paid — only the masked account summary the decision holds.

Legal basis of what the notice says:
- 充当 before 還付: 地方税法第17条の2 applied through 地方自治法第231条の3第4項 (domain-rules-2.md §4, "充当 first
  if arrears exist"); the resident is told of each 充当 (規則109 pattern, 久留米市 規則 第3条, ibid.).
- 還付加算金 to the decision or 充当 day: 地方税法第17条の4第1項 (ibid., "End").
- The 2-year limitation printed on the notice: 高齢者の医療の確保に関する法律第160条第1項 (domain-rules-2.md §5).

Until the decision is posted (status `decided`) nothing has been done, so nothing is printed (409); the notice is
dated the day it was posted (`settled_on`) and numbered from the record and that day, so a reprint of the same
decision is the same notice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.collection.rules.refund_interest import Cause
from functions.collection.services.store import OVERPAYMENTS, instalments_by_number
from shared.adapters.persons import PersonRepository
from shared.domain.errors import Conflict, NotFound
from shared.notices.document import Context, document_number
from shared.notices.issuer import Issuer
from shared.notices.parts import Recipient
from shared.notices.printing import Notice, print_one
from shared.notices.refund_notice import REFUND, OffsetLine, RefundNotice
from shared.runtime import Runtime

__all__ = ["PRINTABLE", "refund_notice", "refund_pdf", "refund_preview"]

# The statuses of an over-payment whose decision has been posted by the settle step (routes/refunds.py STATUSES).
PRINTABLE = ("offset", "refund-ready", "refund-awaiting-account", "refunded")

CAUSES = {Cause.CORRECTION.value: "保険料の減額更正（賦課の更正）",
          Cause.PENSION_EXCESS.value: "特別徴収（年金からの差引き）による過納",
          Cause.OVERPAYMENT.value: "納付額が納めるべき額を超えたため（過納）",
          Cause.DUPLICATE.value: "同じ期の重複した納付（誤納）"}


def _recipient(person: dict[str, Any]) -> Recipient:
    return Recipient(person.get("name") or "", person.get("mailing_address") or person.get("address") or "",
                     person.get("postal_code"))


def _account(decision: dict[str, Any]) -> str | None:
    """The masked summary the decision keeps (bank and branch codes, type, last three digits); None: awaited."""
    summary = decision.get("account_summary")
    if not summary or decision.get("account") in (None, "none", "awaiting"):
        return None
    source = "公金受取口座" if decision.get("account") == "public-funds" else "届出の口座"
    return (f"{source} 金融機関 {summary.get('bank_code', '')} 支店 {summary.get('branch_code', '')} "
            f"{summary.get('account_type', '')} {summary.get('account_number', '')}")


def refund_notice(rt: Runtime, person: dict[str, Any], record: dict[str, Any]) -> tuple[Notice, str]:
    """The notice of one over-payment whose decision was posted, and the record it prints (`overpayments/<id>`)."""
    if record.get("status") not in PRINTABLE or not record.get("decision"):
        raise Conflict("the 充当・還付 decision on this over-payment has not been posted yet",
                       code="refund-not-settled")
    decision = record["decision"]
    offsets = [*decision.get("posted_offsets", []), *decision.get("offsets", [])]
    periods = instalments_by_number(rt, [o["payment_number"] for o in offsets])
    if any(o["payment_number"] not in periods for o in offsets):
        raise Conflict("a 期 the over-payment was applied to is no longer on record", code="refund-notice-incomplete")
    lines = tuple(OffsetLine(periods[o["payment_number"]].fiscal_year, periods[o["payment_number"]].period,
                             int(o["principal"]), int(o["late_fee"])) for o in offsets)
    issued_on = date.fromisoformat(record.get("settled_on") or decision["decided_on"])
    cause = record.get("cause") or Cause.CORRECTION.value
    data = RefundNotice(_recipient(person), person.get("insured_number") or "",
                        date.fromisoformat(decision["decided_on"]), int(record["amount"]),
                        CAUSES.get(cause, cause), lines, int(decision["refund"]), int(decision["interest"]),
                        _account(decision))
    source = f"overpayments/{record['overpayment_id']}"
    context = Context(Issuer.from_settings(rt.settings), document_number(REFUND, source, issued_on), issued_on)
    return Notice(REFUND, data, context), source


def refund_pdf(rt: Runtime, person_id: str, overpayment_id: str, staff_id: str, request_id: str | None,
               purpose: str) -> tuple[bytes, str]:
    """The notice of the person's over-payment `overpayment_id` as a PDF and its number; an audited read."""
    record = rt.records(OVERPAYMENTS).get(overpayment_id)
    person = rt.repository(PersonRepository).get(person_id)
    if record is None or person is None or record.get("person_id") != person_id:
        raise NotFound("the person has no such 還付・充当通知書")
    notice, source = refund_notice(rt, person, record)
    return print_one(rt, notice, person_id=person_id, record=source, staff_id=staff_id, request_id=request_id,
                     purpose=purpose), notice.context.number


def refund_preview(rt: Runtime, person: dict[str, Any], today: date) -> Notice | None:
    """`choju notice render --kind refund`: the notice of the person's latest posted decision, else None."""
    records = [r for r in rt.records(OVERPAYMENTS).query("by-person", "person_id", person["person_id"])
               if r.get("status") in PRINTABLE and r.get("decision")]
    for record in sorted(records, key=lambda r: (r.get("settled_on") or "", r["overpayment_id"]), reverse=True):
        return refund_notice(rt, person, record)[0]
    return None
