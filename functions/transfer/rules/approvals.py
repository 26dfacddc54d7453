"""データ使用承認 (data-use approvals), PIA-III-5-a: what a request must state and when a transfer may run under it.

The seed (III-5 ルールの内容): a transfer needs a データ使用承認願 submitted to 国保年金課 giving the data's 使用根拠
(legal basis), 使用目的 (purpose), 使用条件 (conditions), 使用期間 (period) and 使用データ (the data used), checked in
detail and allowed only where 熊本市個人番号の利用及び特定個人情報の提供に関する条例 allows it. Here the request is a
maker-checker change (a data steward proposes, a different checker confirms: PIA-III-2-l), and every run checks
the approval against the job, the period and the fields. Pure: no AWS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from functions.transfer.rules.jobs import JOBS, MY_NUMBER, RECIPIENTS, TransferJob
from shared.domain.errors import Refused
from shared.domain.person import InvalidChange

__all__ = ["ACTIVE", "FIELDS", "REVOKED", "ApprovalRefused", "check_approval", "choose_approval",
           "validate_approval"]

ACTIVE, REVOKED = "active", "revoked"
FIELDS = ("recipient", "legal_basis", "purpose", "conditions", "valid_from", "valid_to", "fields", "jobs",
          "frequency", "status", "revoked_at", "revoked_by", "revocation_reason")
REQUIRED_TEXT = ("legal_basis", "purpose", "conditions")
FREQUENCIES = ("daily", "monthly", "yearly")
MAX_YEARS = 5  # a longer period is refused: approvals are reviewed at least every five years [U: city practice]


class ApprovalRefused(Refused):
    """A transfer refused for want of a valid approval; `code` says which check failed."""

    code = "transfer-approval-missing"
    title = "No valid data-use approval for this transfer"


def _day(values: Mapping[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(str(values.get(name)))
    except ValueError:
        raise InvalidChange(f"{name} is a date (YYYY-MM-DD)") from None


def validate_approval(values: dict[str, Any]) -> None:
    """A request names every item of the データ使用承認願; fields and jobs must exist and belong to the recipient."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise InvalidChange(f"unknown fields: {', '.join(sorted(unknown))}")
    if values.get("recipient") not in RECIPIENTS:
        raise InvalidChange(f"recipient is one of {', '.join(RECIPIENTS)}")
    for name in REQUIRED_TEXT:
        if not str(values.get(name) or "").strip():
            raise InvalidChange(f"{name} is required (データ使用承認願, PIA-III-5-a)")
    first, last = _day(values, "valid_from"), _day(values, "valid_to")
    if last < first:
        raise InvalidChange("valid_to is before valid_from")
    if (last - first).days > MAX_YEARS * 366:
        raise InvalidChange(f"an approval runs for at most {MAX_YEARS} years")
    if values.get("frequency") not in FREQUENCIES:
        raise InvalidChange(f"frequency is one of {', '.join(FREQUENCIES)}")
    jobs = values.get("jobs")
    if not isinstance(jobs, list) or not jobs:
        raise InvalidChange("jobs names at least one transfer job")
    known = {j.name: j for j in JOBS}
    for name in jobs:
        found = known.get(name)
        if found is None or found.recipient != values["recipient"]:
            raise InvalidChange(f"{name!r} is not a transfer job to {values['recipient']}")
    fields = values.get("fields")
    if not isinstance(fields, list) or not fields or not all(isinstance(f, str) for f in fields):
        raise InvalidChange("fields lists the data used, field by field")
    allowed = {f for name in jobs for f in known[name].fields}
    outside = sorted(set(fields) - allowed)
    if outside:
        raise InvalidChange(f"fields not carried by the named jobs: {', '.join(outside)}")
    if values.get("status", ACTIVE) not in (ACTIVE, REVOKED):
        raise InvalidChange("status is active or revoked")


def check_approval(approval: Mapping[str, Any], job: TransferJob, first: date, last: date,
                   today: date) -> None:
    """Refuse the run unless `approval` names the job, is active and unexpired today, covers the period, and allows
    every field of the file (the My Number only when named)."""
    aid = approval.get("approval_id", "?")
    if job.name not in approval.get("jobs", ()) or approval.get("recipient") != job.recipient:
        raise ApprovalRefused(f"approval {aid} does not name {job.name}", code="transfer-approval-other-job")
    if approval.get("status") == REVOKED:
        raise ApprovalRefused(f"approval {aid} was revoked", code="transfer-approval-revoked")
    valid_from, valid_to = date.fromisoformat(approval["valid_from"]), date.fromisoformat(approval["valid_to"])
    if today > valid_to or last > valid_to:
        raise ApprovalRefused(f"approval {aid} expired on {valid_to.isoformat()}", code="transfer-approval-expired")
    if today < valid_from or first < valid_from:
        raise ApprovalRefused(f"approval {aid} starts on {valid_from.isoformat()}",
                              code="transfer-approval-not-yet-valid")
    outside = [f for f in job.fields if f not in approval.get("fields", ())]
    if outside:
        named = " (the 個人番号 must be named)" if MY_NUMBER in outside else ""
        raise ApprovalRefused(f"approval {aid} does not cover the fields {', '.join(outside)}{named}",
                              code="transfer-field-not-approved")


def check_export_approval(approval: Mapping[str, Any] | None, counterparty: str, today: date) -> None:
    """An ad-hoc export (`POST /transfer/exports`) runs under a named approval too: one for its recipient, not
    revoked, valid today. Its fields then narrow the export filter (`export_policy.narrowed`)."""
    if approval is None:
        raise ApprovalRefused("no such data-use approval (PIA-III-5-a)")
    aid = approval.get("approval_id", "?")
    if approval.get("recipient") != counterparty:
        raise ApprovalRefused(f"approval {aid} is not for {counterparty}", code="transfer-approval-other-job")
    if approval.get("status") == REVOKED:
        raise ApprovalRefused(f"approval {aid} was revoked", code="transfer-approval-revoked")
    if today > date.fromisoformat(approval["valid_to"]):
        raise ApprovalRefused(f"approval {aid} expired on {approval['valid_to']}", code="transfer-approval-expired")
    if today < date.fromisoformat(approval["valid_from"]):
        raise ApprovalRefused(f"approval {aid} starts on {approval['valid_from']}",
                              code="transfer-approval-not-yet-valid")


def choose_approval(approvals: Iterable[Mapping[str, Any]], job: TransferJob, first: date, last: date,
                    today: date) -> Mapping[str, Any]:
    """The first approval (by id) that allows the run; otherwise the refusal of the one naming the job that came
    closest (a revoked or expired approval says so, rather than "none")."""
    naming = sorted((a for a in approvals if job.name in a.get("jobs", ())), key=lambda a: str(a["approval_id"]))
    refusals: list[ApprovalRefused] = []
    for approval in naming:
        try:
            check_approval(approval, job, first, last, today)
            return approval
        except ApprovalRefused as refused:
            refusals.append(refused)
    if refusals:
        raise refusals[-1]
    raise ApprovalRefused(f"no data-use approval names {job.name} (PIA-III-5-a)")
