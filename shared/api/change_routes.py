"""Maker-checker routes, mounted by each workflow at /<workflow>/changes (design rule 6; PIA-III-2-l).

No `from __future__ import annotations` here: FastAPI must see the dependency types built inside
`change_router`, which string annotations would hide from it.
"""

import functools
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field, create_model

from shared.api.auth import Principal, RuntimeDep, forbid, require
from shared.api.fields import Day, MyNumberText, PersonId
from shared.api.pages import PageDep, encode_cursor
from shared.api.routing import Router
from shared.domain.changes import Operation
from shared.domain.roles import Permission
from shared.lazy import lazy_module
from shared.storage import STORAGE
from shared.workflow import Workflow

if TYPE_CHECKING:
    from shared.domain.changes import ChangeRequest
    from shared.domain.person import FieldSpec
    from shared.protection.changes import ChangeService

# The service and the person's field specs load with the first request (or route) that needs them.
protection_changes = lazy_module("shared.protection.changes")
person = lazy_module("shared.domain.person")
PERSON_KIND = "person"  # shared.protection.entities.PERSON.name
PENDING_KEY = STORAGE.table("change-requests").page_key("by-status")

__all__ = ["ChangePage", "ChangeView", "change_proposal", "change_router", "change_view", "changes_of",
           "person_values"]



def _annotation(spec: "FieldSpec") -> Any:
    if spec.kind == "date":
        return Day | None
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


@functools.cache
def person_values() -> type[_Values]:
    """The fields a person change may set, generated from the domain's field specs; anything else is refused
    (PIA-III-2-f). Built on first use: only workflows that change persons pay for its 60 fields."""
    return create_model(  # type: ignore[no-any-return, call-overload]
        "PersonValues",
        __base__=_Values,
        **{name: (_annotation(spec), Field(None, description=spec.meaning,
                                           **({"max_length": spec.max_length} if spec.kind == "str" else {})))
           for name, spec in person.PERSON_FIELDS.items()},
        mynumber=(MyNumberText | None, Field(None, description="個人番号; needs mynumber:write")),
    )


@functools.cache
def change_proposal() -> type[BaseModel]:
    """A proposed change to a person: the body of `POST /<workflow>/changes`."""
    values = person_values()
    return create_model(  # type: ignore[no-any-return, call-overload]
        "ChangeProposal",
        __config__=ConfigDict(extra="forbid"),
        operation=(Operation, ...),
        person_id=(PersonId | None, None),
        values=(values, Field(default_factory=values)),
        reason=(str, Field(min_length=1, max_length=500)),
    )


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


class ChangePage(BaseModel):
    """A page of pending changes; `next_cursor` (None on the last page) asks for the next."""

    changes: list[ChangeView]
    next_cursor: str | None


def change_view(r: "ChangeRequest") -> ChangeView:
    return ChangeView(request_id=r.request_id, workflow=r.workflow, entity=r.entity, entity_id=r.entity_id,
                      operation=r.operation, changes=r.changes, reason=r.reason, maker=r.maker,
                      base_version=r.base_version, status=r.status.value, created_at=r.created_at.isoformat(),
                      expires_at=r.expires_at.isoformat(), decided_by=r.decided_by,
                      decided_at=r.decided_at.isoformat() if r.decided_at else None,
                      decision_reason=r.decision_reason)


def changes_of(workflow: Workflow) -> Any:
    """The dependency type `Annotated[ChangeService, …]` of `workflow`, for routes that propose changes."""

    def service(runtime: RuntimeDep) -> "ChangeService":
        return protection_changes.ChangeService(runtime, workflow)  # type: ignore[no-any-return]

    service.__name__ = f"{workflow.name.replace('-', '_')}_changes"
    return Annotated["ChangeService", Depends(service)]


def change_router(workflow: Workflow) -> Router:
    """The maker-checker routes of one workflow: they see, confirm and reject only its requests, and propose
    changes only to the kinds of record it declares."""
    router = Router(prefix=f"/{workflow.name}/changes", tags=[f"{workflow.name} changes"])
    Service = changes_of(workflow)  # noqa: N806 - a type alias
    maker, checker = (Permission(p) for p in workflow.change_permissions)
    Maker = Annotated[Principal, Depends(require(maker))]  # noqa: N806
    Checker = Annotated[Principal, Depends(require(checker))]  # noqa: N806
    Reader = Annotated[Principal, Depends(require(maker, checker))]  # noqa: N806

    if workflow.kind(PERSON_KIND) is not None:  # only a workflow that changes persons takes person changes
        Proposal = change_proposal()  # noqa: N806 - a model class

        @router.post("", response_model=ChangeView, status_code=202)
        def propose(body: Proposal, request: Request, principal: Maker, changes: Service) -> ChangeView:  # type: ignore[valid-type]
            """Propose a change to a person; it takes effect only when another staff member confirms it."""
            values = body.values.as_values()
            if "mynumber" in values and not principal.staff.can(Permission.MYNUMBER_WRITE):
                raise forbid(changes.rt, request, principal, "'mynumber:write'")
            created = changes.propose(maker=principal.staff.staff_id, operation=body.operation,
                                      person_id=body.person_id, values=values, reason=body.reason,
                                      request_id=principal.request_id)
            return change_view(created)

    @router.get("", response_model=ChangePage)
    def pending(_: Reader, changes: Service, page: PageDep) -> ChangePage:
        """Pending, unexpired changes of this workflow, oldest first, a page at a time; never with a My Number."""
        found, after = changes.pending_page(page.limit, page.start(PENDING_KEY, {"status": "pending"}))
        return ChangePage(changes=[change_view(r) for r in found], next_cursor=encode_cursor(after))

    @router.get("/{request_id}", response_model=ChangeView)
    def one(request_id: str, _: Reader, changes: Service) -> ChangeView:
        return change_view(changes.get(request_id))

    @router.post("/{request_id}/confirm", response_model=ChangeView)
    def confirm(request_id: str, principal: Checker, changes: Service) -> ChangeView:
        return change_view(changes.confirm(request_id, principal.staff.staff_id, principal.request_id))

    @router.post("/{request_id}/reject", response_model=ChangeView)
    def reject(request_id: str, body: Rejection, principal: Checker, changes: Service) -> ChangeView:
        return change_view(changes.reject(request_id, principal.staff.staff_id, body.reason, principal.request_id))

    return router
