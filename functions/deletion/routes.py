"""HTTP routes of the deletion workflow (PIA-III-7-e): the plan for a day, proposing a run (a checker approves it
at /deletion/changes/{id}/confirm), a run's progress, legal holds, and the 廃棄証明書 stored so far."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from shared.api.auth import Principal, RuntimeDep, require
from shared.api.fields import Day, PersonId
from shared.api.routing import Router
from shared.domain.roles import Permission
from shared.lazy import lazy_module

__all__ = ["ROUTERS"]

plan = lazy_module("functions.deletion.services.plan")
runs = lazy_module("functions.deletion.services.runs")
holds = lazy_module("functions.deletion.services.holds")
printing = lazy_module("functions.deletion.services.printing")
PURPOSE = Query(min_length=2, max_length=200,
                description="why it is printed, e.g. 監査への提出; recorded in the audit log")

router = Router(prefix="/deletion", tags=["deletion"])
Steward = Annotated[Principal, Depends(require(Permission.DELETION_RUN))]
RunId = Annotated[str, Path(pattern=r"^DR[A-Z0-9]{16}$")]


class RunProposal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: Day
    reason: str = Field(min_length=1, max_length=500)


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_id: PersonId
    kind: Literal["appeal", "delinquency-disposition", "litigation", "audit-request", "other"]
    reason: str = Field(min_length=1, max_length=500)


@router.get("/plan")
def deletion_plan(as_of: Annotated[Day, Query()], _: Steward, runtime: RuntimeDep) -> dict[str, Any]:
    """What a run on `as_of` would erase: counts per class with the reason, what holds keep out; no ids."""
    rules = runs.current_rules()
    return plan.plan_deletion(runtime, as_of, rules).summary(rules)  # type: ignore[no-any-return]


@router.post("/runs", status_code=202)
def propose_run(body: RunProposal, principal: Steward, runtime: RuntimeDep) -> dict[str, Any]:
    """Propose a run from its plan; a different checker approves it at /deletion/changes/{id}/confirm."""
    return runs.propose_run(runtime, body.as_of, principal.staff.staff_id, body.reason,  # type: ignore[no-any-return]
                            principal.request_id)


@router.get("/runs/{run_id}")
def run_status(run_id: RunId, _: Steward, runtime: RuntimeDep) -> dict[str, Any]:
    """An approved run: its progress, and its certificate once stored."""
    return runs.run_status(runtime, run_id)  # type: ignore[no-any-return]


@router.get("/certificates")
def certificates(_: Steward, runtime: RuntimeDep) -> dict[str, Any]:
    """Every 廃棄証明書 stored under Object Lock, with its SHA-256."""
    stored = runtime.erasure_certificates.listing()
    return {"certificates": [c._asdict() for c in stored], "count": len(stored)}


@router.get("/runs/{run_id}/certificate/pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "the 廃棄証明書, A4"}})
def certificate_pdf(run_id: RunId, principal: Steward, runtime: RuntimeDep,
                    purpose: Annotated[str, PURPOSE]) -> Response:
    """A run's 廃棄証明書 for printing (the notices renderer's `disposal-certificate`): classes, counts, stores and
    regions, method, approval and the backup date; no id and no My Number. An audited read with its purpose."""
    pdf = printing.print_certificate(runtime, run_id, staff_id=principal.staff.staff_id,
                                     request_id=principal.request_id, purpose=purpose)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{run_id}.pdf"', "Cache-Control": "no-store"})


@router.post("/holds", status_code=201)
def place_hold(body: HoldIn, principal: Steward, runtime: RuntimeDep) -> dict[str, Any]:
    """Keep a person's records out of every deletion plan (an open appeal, a 滞納処分 …)."""
    return holds.place_hold(runtime, body.person_id, body.kind, body.reason,  # type: ignore[no-any-return]
                            principal.staff.staff_id, principal.request_id)


@router.post("/holds/{person_id}/{hold_id}/release")
def release_hold(person_id: PersonId, hold_id: Annotated[str, Path(pattern=r"^LH[A-Z0-9]{16}$")],
                 principal: Steward, runtime: RuntimeDep) -> dict[str, Any]:
    return holds.release_hold(runtime, person_id, hold_id, principal.staff.staff_id,  # type: ignore[no-any-return]
                              principal.request_id)


ROUTERS: tuple[Router, ...] = (router,)
