"""Maker-checker for every change to specific personal information (design rule 6; PIA-III-2-l).

A change is proposed (stored pending with its diff, reason and the record version it was based on) and
takes effect only when a different staff member with change:confirm confirms it. Confirming writes the
record, the request's decision and the audit event in one DynamoDB transaction: a stale base version writes
nothing, and of concurrent confirmations exactly one applies.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from shared.adapters.audit_log import AuditEvent, TransactionConflict
from shared.adapters.change_requests import ChangeRequestStore
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.changes import ChangeRequest, Operation, SelfConfirmation, Status, check_checker
from shared.domain.errors import Conflict, Invalid, NotFound, Refused
from shared.domain.ids import new_id
from shared.domain.mynumber import parse_my_number
from shared.domain.person import MY_NUMBER_FIELD, InvalidChange, apply_diff, diff
from shared.observability import count
from shared.protection.entities import PERSON, EntityKind
from shared.runtime import Runtime
from shared.workflow import Workflow

__all__ = ["ChangeService", "KindNotInWorkflow", "follow_up_queue_id"]


def follow_up_queue_id(reference: str) -> str:
    """The transfer-queue id of what a confirmation queues: derived, so it is found and never doubled."""
    return f"TQ-{reference}"


class KindNotInWorkflow(Invalid):
    """A workflow's change routes change only the kinds of record that workflow declares (design rule 6)."""

    code = "entity-kind-not-in-workflow"
    title = "The change is not valid"


def _invalid(detail: str, code: str = "invalid-change") -> Invalid:
    return Invalid(detail, code=code, title="The change is not valid")


class ChangeService:
    """Maker-checker for one workflow: it proposes, confirms and rejects only that workflow's requests, over
    only the kinds of record the workflow declares."""

    def __init__(self, runtime: Runtime, workflow: Workflow, expiry: timedelta | None = None) -> None:
        self.rt = runtime
        self.workflow = workflow
        self.expiry = expiry or timedelta(hours=runtime.settings.change_expiry_hours)
        self.requests = runtime.repository(ChangeRequestStore)

    def _kind(self, name: str) -> EntityKind:
        kind = self.workflow.kind(name)
        if kind is None:
            raise KindNotInWorkflow(f"the {self.workflow.name} workflow does not change {name} records")
        return kind

    # --- maker -------------------------------------------------------------------------------------------
    def propose(self, *, maker: str, operation: Operation, person_id: str | None, values: dict[str, Any],
                reason: str, request_id: str, kind: EntityKind = PERSON,
                follow_up: dict[str, Any] | None = None) -> ChangeRequest:
        """Store a pending change to a record of `kind` (`person_id` is the record's id for any kind)."""
        kind = self._kind(kind.name)
        values = dict(values)
        raw_my_number = values.pop(MY_NUMBER_FIELD, None)
        current = self._current(kind, operation, person_id)
        try:
            kind.validate(values)
            if operation is Operation.CREATE:
                values = kind.defaults_on_create(values)
                if not (kind.given_id and person_id):
                    person_id = kind.new_id()
        except InvalidChange as invalid:
            raise _invalid(str(invalid)) from None
        assert person_id is not None
        changes = diff(current, values) if operation is not Operation.DELETE else {"*": {"from": "record", "to": None}}
        sealed: dict[str, str] = {}
        if raw_my_number is not None and operation is not Operation.DELETE:
            number = parse_my_number(raw_my_number)  # InvalidMyNumber is answered by the API layer
            sealed = {"mynumber_enc": self.rt.vault.encrypt(number),
                      "mynumber_index": self.rt.vault.blind_index(number)}
            if (current or {}).get("mynumber_index") != sealed["mynumber_index"]:
                changes[MY_NUMBER_FIELD] = {"changed": True}
            else:
                sealed = {}
        if not changes:
            raise _invalid("the proposed values are the same as the record's", "no-change")
        now = self.rt.clock()
        request = ChangeRequest(
            request_id=new_id("CR"), workflow=self.workflow.name, entity=kind.name, entity_id=person_id,
            operation=operation, changes=changes, reason=reason, maker=maker,
            base_version=int((current or {}).get("version", 0)), created_at=now, expires_at=now + self.expiry,
            sealed=sealed, follow_up=follow_up or {},
        )
        self.requests.add(request)
        self.rt.audit.append(AuditEvent(maker, f"change.propose.{operation.value}", "success", target=person_id,
                                        purpose=reason[:200], request_id=request_id,
                                        detail={"change_request": request.request_id}))
        return request

    def _current(self, kind: EntityKind, operation: Operation, entity_id: str | None) -> dict[str, Any] | None:
        if operation is Operation.CREATE:
            return None
        if not entity_id:
            raise _invalid(f"{kind.id_field} is required to update or delete")
        current = self.rt.records(kind.table).get(entity_id)
        if current is None:
            raise NotFound(f"there is no such {kind.name}")
        return current

    # --- checker -----------------------------------------------------------------------------------------
    def get(self, request_id: str) -> ChangeRequest:
        """A change request of this workflow; another workflow's request is as good as absent."""
        request = self.requests.get(request_id)
        if request is None or request.workflow != self.workflow.name:
            raise NotFound("there is no such change request")
        return request

    def _pending(self, request_id: str, checker: str) -> ChangeRequest:
        request = self.get(request_id)
        if request.status is not Status.PENDING:
            raise Conflict(f"{request_id} is already {request.status.value}", code="change-already-decided")
        now = self.rt.clock()
        if request.is_expired(now):
            self.requests.decide(request_id, Status.EXPIRED, "system", now, "expired")
            raise Conflict(f"{request_id} expired at {request.expires_at.isoformat()}", code="change-expired")
        try:
            check_checker(request, checker)
        except SelfConfirmation as refused:
            raise Refused(str(refused), code="self-confirmation") from None
        return request

    def confirm(self, request_id: str, checker: str, audit_request_id: str) -> ChangeRequest:
        request = self._pending(request_id, checker)
        kind = self._kind(request.entity)
        repository = self.rt.records(kind.table)
        now = self.rt.clock()
        current = repository.get(request.entity_id)
        if request.operation is Operation.DELETE:
            record = None
        else:
            record = apply_diff(current, request.changes)
            record.update(request.sealed)
            record.update({kind.id_field: request.entity_id, "version": request.base_version + 1,
                           "updated_at": now.isoformat()})
        if kind.guard is not None:
            kind.guard(self.rt, current, record)
        items = [
            self.requests.decide_item(request_id, Status.CONFIRMED, checker, now, None),
            repository.write_item(record, request.entity_id, request.base_version),
            *self._follow_up_items(request, now),
        ]
        event = AuditEvent(checker, f"change.confirm.{request.operation.value}", "success", target=request.entity_id,
                           purpose=request.reason[:200], request_id=audit_request_id,
                           detail={"change_request": request_id, "maker": request.maker,
                                   "fields": ",".join(sorted(request.changes))})
        try:
            self.rt.audit.transact_with(items, event)
        except TransactionConflict as conflict:
            if conflict.index == 0:
                raise Conflict(f"{request_id} was decided meanwhile", code="change-already-decided") from None
            raise Conflict(f"{request.entity_id} changed after this request was made (version "
                           f"{request.base_version}); make a new request", code="stale-change") from None
        count("ChangesConfirmed")
        return replace(request, status=Status.CONFIRMED, decided_by=checker, decided_at=now)

    def _follow_up_items(self, request: ChangeRequest, now: datetime) -> list[dict[str, Any]]:
        """What else becomes true with the change, in the same transaction (e.g. queued for the 広域連合, or the
        new 資格確認書 a change of address makes): `follow_up["records"]` are new records of the workflow's tables."""
        items = [self.rt.records(r["table"]).write_item(r["record"], r["id"], 0)
                 for r in request.follow_up.get("records", ())]
        transfer = request.follow_up.get("transfer")
        if not transfer:
            return items
        reference = transfer.get("reference", request.request_id)
        return [*items, self.rt.repository(TransferQueue).enqueue_item(
            kind=transfer["kind"], counterparty=transfer["counterparty"], entity_id=request.entity_id,
            reference=reference, at=now, queue_id=follow_up_queue_id(reference),
            summary={"change_request": request.request_id, **transfer.get("summary", {})})]

    def reject(self, request_id: str, checker: str, reason: str, audit_request_id: str) -> ChangeRequest:
        request = self._pending(request_id, checker)
        now = self.rt.clock()
        if not self.requests.decide(request_id, Status.REJECTED, checker, now, reason):
            raise Conflict(f"{request_id} was decided meanwhile", code="change-already-decided")
        self.rt.audit.append(AuditEvent(checker, "change.reject", "success", target=request.entity_id,
                                        purpose=reason[:200], request_id=audit_request_id,
                                        detail={"change_request": request_id, "maker": request.maker}))
        return replace(request, status=Status.REJECTED, decided_by=checker, decided_at=now, decision_reason=reason)

    def pending_page(self, limit: int, start: dict[str, Any] | None) -> tuple[list[ChangeRequest], dict | None]:
        """One page of this workflow's pending, unexpired changes, oldest first, and where the next starts."""
        return self.requests.pending_page(self.workflow.name, self.rt.clock(), limit, start)
