"""Maker-checker routes, mounted by each workflow at /<workflow>/changes (design rule 6; PIA-III-2-l)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, create_model

from shared.api.auth import Principal, forbid, get_runtime, require
from shared.api.problems import Problem
from shared.api.problems_domain import invalid_my_number
from shared.domain.changes import ChangeRequest, Operation
from shared.domain.mynumber import InvalidMyNumber
from shared.domain.person import PERSON_FIELDS, FieldSpec
from shared.domain.roles import Permission
from shared.protection.changes import ChangeError, ChangeService
from shared.runtime import Runtime


def _annotation(spec: FieldSpec) -> Any:
    if spec.kind == "date":
        return date | None
    if spec.kind == "bool":
        return bool | None
    if spec.kind == "code":
        return Literal[spec.codes] | None  # type: ignore[valid-type]
    return str | None


class _Values(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def as_values(self) -> dict[str, Any]:
        values = self.model_dump(exclude_unset=True)
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


# The fields a change may set, generated from the domain's field specs; anything else is refused (PIA-III-2-f).
PersonValues = create_model(  # type: ignore[call-overload]
    "PersonValues",
    __base__=_Values,
    **{name: (_annotation(spec), Field(None, description=spec.meaning,
                                       **({"max_length": spec.max_length} if spec.kind == "str" else {})))
       for name, spec in PERSON_FIELDS.items()},
    mynumber=(str | None, Field(None, max_length=40, description="個人番号; needs mynumber:write")),
)


class ChangeProposal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    operation: Operation
    person_id: str | None = Field(None, pattern=r"^P[0-9A-Z]{4,20}$")
    values: PersonValues = Field(default_factory=PersonValues)  # type: ignore[valid-type]
    reason: str = Field(min_length=1, max_length=500)


class Rejection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class ChangeView(BaseModel):
    """A change request as lists show it: a My Number change is only `{"changed": true}`."""

    request_id: str
    workflow: str
    entity: str
    entity_id: str
    operation: Operation
    changes: dict[str, dict[str, Any]]
    reason: str
    maker: str
    base_version: int
    status: str
    created_at: str
    expires_at: str
    decided_by: str | None = None
    decided_at: str | None = None
    decision_reason: str | None = None


def change_view(r: ChangeRequest) -> ChangeView:
    return ChangeView(request_id=r.request_id, workflow=r.workflow, entity=r.entity, entity_id=r.entity_id,
                      operation=r.operation, changes=r.changes, reason=r.reason, maker=r.maker,
                      base_version=r.base_version, status=r.status.value, created_at=r.created_at.isoformat(),
                      expires_at=r.expires_at.isoformat(), decided_by=r.decided_by,
                      decided_at=r.decided_at.isoformat() if r.decided_at else None,
                      decision_reason=r.decision_reason)


def change_service(runtime: Runtime) -> ChangeService:
    return ChangeService(runtime, timedelta(hours=runtime.settings.change_expiry_hours))


def as_problem(error: ChangeError) -> Problem:
    titles = {403: "Forbidden", 404: "Not found", 409: "Conflict", 422: "The change is not valid"}
    return Problem(error.status, error.code, titles.get(error.status, "Error"), error.detail)


def change_router(workflow: str) -> APIRouter:
    router = APIRouter(prefix=f"/{workflow}/changes", tags=[f"{workflow} changes"])
    maker = require(Permission.CHANGE_REQUEST)
    checker = require(Permission.CHANGE_CONFIRM)
    reader = require(Permission.CHANGE_REQUEST, Permission.CHANGE_CONFIRM)

    @router.post("", response_model=ChangeView, status_code=202)
    def propose(body: ChangeProposal, request: Request, principal: Principal = Depends(maker),
                runtime: Runtime = Depends(get_runtime)) -> ChangeView:
        """Propose a change; it takes effect only when another staff member confirms it."""
        values = body.values.as_values()
        if "mynumber" in values and not principal.staff.can(Permission.MYNUMBER_WRITE):
            raise forbid(runtime, request, principal, "'mynumber:write'")
        try:
            created = change_service(runtime).propose(
                workflow=workflow, maker=principal.staff.staff_id, operation=body.operation,
                person_id=body.person_id, values=values, reason=body.reason, request_id=principal.request_id)
        except InvalidMyNumber as invalid:
            raise invalid_my_number(invalid, "body.values.mynumber") from None
        except ChangeError as error:
            raise as_problem(error) from None
        return change_view(created)

    @router.get("", response_model=list[ChangeView])
    def pending(_: Principal = Depends(reader), runtime: Runtime = Depends(get_runtime)) -> list[ChangeView]:
        """Pending, unexpired changes of this workflow, oldest first; never with a My Number."""
        return [change_view(r) for r in sorted(change_service(runtime).pending(workflow), key=lambda r: r.created_at)]

    @router.get("/{request_id}", response_model=ChangeView)
    def one(request_id: str, _: Principal = Depends(reader), runtime: Runtime = Depends(get_runtime)) -> ChangeView:
        found = runtime.change_requests.get(request_id)
        if found is None or found.workflow != workflow:
            raise Problem(404, "not-found", "Not found", f"no change request {request_id}")
        return change_view(found)

    @router.post("/{request_id}/confirm", response_model=ChangeView)
    def confirm(request_id: str, principal: Principal = Depends(checker),
                runtime: Runtime = Depends(get_runtime)) -> ChangeView:
        try:
            return change_view(change_service(runtime).confirm(request_id, principal.staff.staff_id,
                                                               principal.request_id))
        except ChangeError as error:
            raise as_problem(error) from None

    @router.post("/{request_id}/reject", response_model=ChangeView)
    def reject(request_id: str, body: Rejection, principal: Principal = Depends(checker),
               runtime: Runtime = Depends(get_runtime)) -> ChangeView:
        try:
            return change_view(change_service(runtime).reject(request_id, principal.staff.staff_id, body.reason,
                                                              principal.request_id))
        except ChangeError as error:
            raise as_problem(error) from None

    return router
