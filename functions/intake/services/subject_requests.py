"""Disclosure requests and inquiries from the people the records are about (PIA-IV-1, IV-2).

A disclosure, once the identity check is recorded, produces a document with everything held about the
person and the access history from the audit log. The stored document (documents bucket) holds no My Number;
it is decrypted into the document only when the authorised officer reads it, and that read is an audit event.
Corrections and suspensions of use are change requests (maker-checker), not edits here.
"""

from __future__ import annotations

import json
from typing import Any

from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.adapters.subject_requests import SubjectRequestStore
from shared.domain.errors import NotFound
from shared.domain.ids import new_id
from shared.protection.views import detail, summary
from shared.runtime import Runtime

__all__ = ["get_inquiry", "open_disclosure", "open_inquiry", "read_disclosure", "respond_to_inquiry"]


def _receipt(prefix: str, rt: Runtime) -> str:
    return new_id(f"{prefix}-{rt.clock():%Y%m%d}-", 6)


def access_history(rt: Runtime, person_id: str) -> list[dict[str, Any]]:
    return [{k: r.get(k) for k in ("event_id", "seq", "at", "staff_id", "action", "purpose", "outcome")}
            for r in rt.audit.about(person_id)]


def open_disclosure(rt: Runtime, person_id: str, requester: str, identity_documents: list[str],
                    staff_id: str, request_id: str) -> dict[str, Any]:
    persons = rt.repository(PersonRepository)
    record = persons.get(person_id)
    if record is None:
        raise NotFound("there is no such person")
    receipt = _receipt("DR", rt)
    now = rt.clock().isoformat()
    household = [summary(m) for m in persons.by_household(record["household_id"]) if m["person_id"] != person_id]
    document = {
        "receipt_number": receipt, "prepared_at": now, "prepared_by": staff_id,
        "identity_check": {"requester": requester, "documents": identity_documents},
        "record": detail(record), "household_members": household,
        "access_history": access_history(rt, person_id),
    }
    key = f"disclosures/{receipt}.json"
    rt.objects("documents").put(key, json.dumps(document, ensure_ascii=False).encode("utf-8"), "application/json")
    rt.repository(SubjectRequestStore).add({
        "request_id": receipt, "kind": "disclosure", "person_id": person_id, "received_at": now,
        "received_by": staff_id, "requester": requester, "identity_documents": identity_documents,
        "document_key": key, "status": "prepared"})
    rt.audit.append(AuditEvent(staff_id, "disclosure.prepare", "success", target=person_id, purpose="disclosure",
                               request_id=request_id, detail={"receipt": receipt}))
    return {"receipt_number": receipt, "person_id": person_id, "status": "prepared", "received_at": now}


def read_disclosure(rt: Runtime, receipt: str, staff_id: str, request_id: str) -> dict[str, Any]:
    entry = rt.repository(SubjectRequestStore).get(receipt)
    if entry is None or entry.get("kind") != "disclosure":
        raise NotFound("there is no such disclosure")
    document = json.loads(rt.objects("documents").get(entry["document_key"]))
    record = rt.repository(PersonRepository).get(entry["person_id"])
    if record and record.get("mynumber_enc"):
        document["record"] = detail(document["record"] | {"mynumber_enc": record["mynumber_enc"]},
                                    rt.vault.decrypt(record["mynumber_enc"]).digits)
    rt.audit.append(AuditEvent(staff_id, "disclosure.read", "success", target=entry["person_id"],
                               purpose="disclosure", request_id=request_id, detail={"receipt": receipt}))
    return document  # type: ignore[no-any-return]


def open_inquiry(rt: Runtime, person_id: str | None, channel: str, subject: str, staff_id: str,
                 request_id: str) -> dict[str, Any]:
    receipt = _receipt("IQ", rt)
    entry = {"request_id": receipt, "kind": "inquiry", "person_id": person_id, "channel": channel,
             "subject": subject, "received_at": rt.clock().isoformat(), "received_by": staff_id, "status": "open"}
    rt.repository(SubjectRequestStore).add(entry)
    rt.audit.append(AuditEvent(staff_id, "inquiry.receive", "success", target=person_id or receipt,
                               request_id=request_id, detail={"receipt": receipt}))
    return _inquiry_view(entry)


def respond_to_inquiry(rt: Runtime, receipt: str, response: str, staff_id: str, request_id: str) -> dict[str, Any]:
    entry = _inquiry(rt, receipt)
    rt.repository(SubjectRequestStore).respond(receipt, response, staff_id, rt.clock().isoformat())
    rt.audit.append(AuditEvent(staff_id, "inquiry.respond", "success", target=entry.get("person_id") or receipt,
                               request_id=request_id, detail={"receipt": receipt}))
    return get_inquiry(rt, receipt)


def get_inquiry(rt: Runtime, receipt: str) -> dict[str, Any]:
    return _inquiry_view(_inquiry(rt, receipt))


def _inquiry(rt: Runtime, receipt: str) -> dict[str, Any]:
    entry = rt.repository(SubjectRequestStore).get(receipt)
    if entry is None or entry.get("kind") != "inquiry":
        raise NotFound("there is no such inquiry")
    return entry


def _inquiry_view(entry: dict[str, Any]) -> dict[str, Any]:
    keys = ("person_id", "channel", "subject", "received_at", "received_by", "status", "response", "responded_by",
            "responded_at")
    return {"receipt_number": entry["request_id"], **{k: entry.get(k) for k in keys}}
