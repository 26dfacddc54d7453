"""Intake look-ups: people reaching 75, 資格確認書 issuance records, the queue for the 広域連合; a page at a time
(`limit`, `cursor`; shared/api/pages.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import READY, TransferQueue
from shared.api.auth import Principal, RuntimeDep, require
from shared.api.fields import Day
from shared.api.pages import PageDep, encode_cursor
from shared.api.problems import Problem
from shared.api.routing import Router
from shared.domain.counterparties import KOUIKI_RENGO
from shared.domain.errors import NotFound
from shared.domain.roles import Permission
from shared.lazy import lazy_module
from shared.storage import STORAGE

# Loaded with the first 75歳到達 look-up: the service brings the batch framework and the card printing.
reaching = lazy_module("functions.intake.services.reaching_75")

router = Router(prefix="/intake", tags=["intake"])
Reader = Annotated[Principal, Depends(require(Permission.PERSON_READ))]
QUEUE_KEY = STORAGE.table("transfer-queue").page_key("by-counterparty-status")
CERTIFICATE_KEY = STORAGE.table("certificates").page_key("by-person")
BIRTH_MONTH_KEY = STORAGE.table("persons").page_key("by-birth-month")


@router.get("/reaching-75")
def reaching_75(first: Annotated[Day, Query(alias="from")], last: Annotated[Day, Query(alias="to")], _: Reader,
                runtime: RuntimeDep, page: PageDep) -> dict[str, Any]:
    """People who reach 75 in the period, by birthday, with the month their 資格確認書 is mailed (PIA-I-1-b)."""
    if last < first or (last - first).days > 366:
        raise Problem(422, "invalid-period", "Invalid period", "'to' must follow 'from' within a year")
    people, after = reaching.reaching_75_page(runtime, first, last, page.limit, page.start(BIRTH_MONTH_KEY))
    return {"from": first.isoformat(), "to": last.isoformat(), "people": people, "count": len(people),
            "next_cursor": encode_cursor(after)}


@router.get("/persons/{person_id}/certificates")
def certificates(person_id: str, _: Reader, runtime: RuntimeDep, page: PageDep) -> dict[str, Any]:
    """資格確認書 issuance records, newest first, with what the counter terminal prints."""
    if runtime.repository(PersonRepository).get(person_id) is None:
        raise NotFound("there is no such person")
    found, after = runtime.records("certificates").page("by-person", "person_id", person_id, page.limit,
                                                         page.start(CERTIFICATE_KEY, {"person_id": person_id}),
                                                         forward=False)
    return {"person_id": person_id, "certificates": found, "next_cursor": encode_cursor(after)}


@router.get("/kouiki-queue")
def kouiki_queue(_: Reader, runtime: RuntimeDep, page: PageDep) -> dict[str, Any]:
    """Records ready for the 広域連合 (the transfer workflow sends them), oldest first."""
    ready, after = runtime.repository(TransferQueue).ready_page(
        KOUIKI_RENGO, page.limit, page.start(QUEUE_KEY, {"counterparty_status": f"{KOUIKI_RENGO}#{READY}"}))
    return {"counterparty": KOUIKI_RENGO, "ready": ready, "count": len(ready), "next_cursor": encode_cursor(after)}
