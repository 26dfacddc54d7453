"""Intake look-ups: people reaching 75, 資格確認書 issuance records, the queue for the 広域連合."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from functions.intake.services.reaching_75 import people_reaching_75
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.fields import Day
from shared.api.problems import Problem
from shared.api.routing import Router
from shared.domain.counterparties import KOUIKI_RENGO
from shared.domain.errors import NotFound
from shared.domain.roles import Permission

router = Router(prefix="/intake", tags=["intake"])
Reader = Annotated[Principal, Depends(require(Permission.PERSON_READ))]


@router.get("/reaching-75")
def reaching_75(first: Annotated[Day, Query(alias="from")], last: Annotated[Day, Query(alias="to")], _: Reader,
                runtime: RuntimeDep) -> dict[str, Any]:
    """People who reach 75 in the period, with the month their 資格確認書 is mailed (PIA-I-1-b)."""
    if last < first or (last - first).days > 366:
        raise Problem(422, "invalid-period", "Invalid period", "'to' must follow 'from' within a year")
    people = people_reaching_75(runtime, first, last)
    return {"from": first.isoformat(), "to": last.isoformat(), "people": people, "count": len(people)}


@router.get("/persons/{person_id}/certificates")
def certificates(person_id: str, _: Reader, runtime: RuntimeDep) -> dict[str, Any]:
    """資格確認書 issuance records, newest first, with what the counter terminal prints."""
    if runtime.repository(PersonRepository).get(person_id) is None:
        raise NotFound("there is no such person")
    found = runtime.records("certificates").query("by-person", "person_id", person_id)
    found.sort(key=lambda c: c["issued_on"], reverse=True)
    return {"person_id": person_id, "certificates": found}


@router.get("/kouiki-queue")
def kouiki_queue(_: Reader, runtime: RuntimeDep) -> dict[str, Any]:
    """Records ready for the 広域連合 (the transfer workflow sends them), oldest first."""
    ready = sorted(runtime.repository(TransferQueue).ready(KOUIKI_RENGO), key=lambda q: q["queued_at"])
    return {"counterparty": KOUIKI_RENGO, "ready": ready, "count": len(ready)}
