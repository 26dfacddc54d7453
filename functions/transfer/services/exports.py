"""Write an outbound file through the export filter to the exchange bucket (PIA-III-2-b, III-3-b)."""

from __future__ import annotations

import json
from typing import Any

from functions.transfer.rules.approvals import ApprovalRefused, check_export_approval
from functions.transfer.rules.export_policy import filter_rows
from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.domain.calendar import date_in_japan
from shared.domain.ids import new_id
from shared.runtime import Runtime

APPROVALS = "transfer-approvals"


def export_people(rt: Runtime, counterparty: str, purpose: str, person_ids: list[str], staff_id: str,
                  request_id: str, approval_id: str) -> dict[str, Any]:
    """Under the named データ使用承認, filter the people's records for (counterparty, purpose) and store the file;
    returns the report. Without a valid approval nothing is read and the refusal is audited."""
    approval = rt.records(APPROVALS).get(approval_id) if len(approval_id) <= 40 else None
    try:
        check_export_approval(approval, counterparty, date_in_japan(rt.clock()))
    except ApprovalRefused as refused:
        rt.audit.append(AuditEvent(staff_id, "export.refused", "refused", target=approval_id[:40], purpose=purpose,
                                   request_id=request_id, detail={"counterparty": counterparty, "code": refused.code}))
        raise
    assert approval is not None
    records, missing = [], []
    for person_id in person_ids:
        record = rt.repository(PersonRepository).get(person_id)
        (records.append(record) if record else missing.append(person_id))
    result = filter_rows(records, counterparty, purpose, lambda blob: rt.vault.decrypt(blob).digits,
                         approved=approval.get("fields", ()))
    now = rt.clock()
    export_id = new_id(f"EX{now:%Y%m%d}-", 8)
    key = f"outbound/{counterparty}/{now:%Y%m%d}/{export_id}.jsonl"
    body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in result.rows).encode("utf-8")
    # A file that carries My Numbers is encrypted under the My Number key, not the data key (design rule 5).
    rt.objects("exchange").put(key, body, "application/x-ndjson", {"counterparty": counterparty, "purpose": purpose},
                               kms_key=rt.key_alias("mynumber") if result.rule.my_number else None)
    report = {
        "export_id": export_id, "counterparty": counterparty, "purpose": purpose, "key": key,
        "approval_id": approval_id,
        "fields": list(result.rule.fields) + (["my_number"] if result.rule.my_number else []),
        "my_number_included": result.rule.my_number, "basis": result.rule.basis,
        "exported": len(result.rows), "skipped_suspended": result.skipped_suspended, "not_found": missing,
    }
    rt.audit.append(AuditEvent(staff_id, "export.write", "success", target=export_id, purpose=purpose,
                               request_id=request_id,
                               detail={"counterparty": counterparty, "approval_id": approval_id,
                                       "rows": str(len(result.rows)),
                                       "skipped_suspended": str(len(result.skipped_suspended))}))
    return report
