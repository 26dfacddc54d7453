"""The daily arrears and 督促 run (issue 14 §4; `rules/dunning.py` for the rule and its sources).

For the 期 whose 納期限 was yesterday, every unpaid one becomes arrears (its ledger enters the `by-unpaid`
index that the 滞納 extract and the 時効 run read). For the 期 whose 納期限 was 15 to 20 days ago, every one still
unpaid — after the payments a 速報 announced — gets a 督促状: its data for the printer (design rule 11) under
`notices/dunning/`, and its ledger records the notice, which renews the 時効 (法第160条第2項). A notice id is
derived from the 期, and each chunk's print data lists every 期 of the chunk dunned that day (chunks are cut the
same way every time: all 普通徴収 期 of the 納期限 in index order), so a run repeated the same day (or resumed after
a stop between its ledger writes and its print data) neither sends a second 督促状 nor loses one.

Chunked: 期 are read page by page from the `by-due-date` index and handled 1,000 at a time (batched reads,
versioned transactions); a ledger changed meanwhile is read again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import islice
from typing import Any

from functions.collection.rules.dunning import due_dates_to_dun, dunning_decision, notice_deadline
from functions.collection.rules.ids import derived_id
from functions.collection.rules.ledger import Instalment, Ledger, Method
from functions.collection.rules.policy import policy
from functions.collection.services.settle import settle
from functions.collection.services.store import LEDGER, Unit, instalments_due, write_units
from shared.adapters.audit_log import AuditEvent
from shared.adapters.persons import PersonRepository
from shared.observability import count
from shared.runtime import Runtime

__all__ = ["CHUNK", "DunningReport", "run_dunning"]

CHUNK = 1000
MAX_ATTEMPTS = 5


@dataclass
class DunningReport:
    today: str
    examined: int = 0
    arrears: int = 0
    dunned: int = 0
    late: int = 0
    notice_keys: list[str] = field(default_factory=list)
    longest_chunk_seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _instalments_due(rt: Runtime, due: date) -> Iterator[Instalment]:
    for instalment in instalments_due(rt, due):
        if instalment.method is Method.ORDINARY and instalment.collectable:
            yield instalment


def run_dunning(rt: Runtime, today: date, chunk: int = CHUNK) -> DunningReport:
    """Arrears for yesterday's 納期限, 督促状 for those of 15–20 days ago."""
    settle(rt, today)
    report = DunningReport(today.isoformat())
    for due in sorted({today - timedelta(days=1), *due_dates_to_dun(today)}):
        found = _instalments_due(rt, due)
        part = 0
        while batch := list(islice(found, chunk)):
            began = time.perf_counter()
            _chunk(rt, batch, today, report, f"{due:%Y%m%d}-{part:04d}")
            report.longest_chunk_seconds = max(report.longest_chunk_seconds, time.perf_counter() - began)
            part += 1
    count("DunningNotices", report.dunned)
    rt.audit.append(AuditEvent("system", "collection.dunning-run", "success", target=f"run:{today.isoformat()}",
                               purpose="督促 (地方自治法第231条の3第1項)",
                               detail={k: str(v) for k, v in report.as_json().items() if k != "notice_keys"}))
    return report


def _chunk(rt: Runtime, batch: list[Instalment], today: date, report: DunningReport, name: str) -> None:
    report.examined += len(batch)
    pending = batch
    notices: list[dict[str, Any]] = []
    for _ in range(MAX_ATTEMPTS):
        if not pending:
            break
        ledgers = rt.records(LEDGER).get_many(i.payment_number for i in pending)
        units, lines = [], {}
        for instalment in pending:
            item = ledgers.get(instalment.payment_number)
            ledger = Ledger.from_item(item, instalment.payment_number, instalment.person_id)
            if ledger.outstanding(instalment) <= 0:
                continue
            if ledger.dunning and ledger.dunning.get("issued_on") == today.isoformat():
                # dunned by an earlier run today that stopped before its print data: print it with this chunk
                notices.append(_notice_line(instalment, ledger.outstanding(instalment), ledger.dunning))
                continue
            decision = dunning_decision(instalment, ledger, today)
            if decision.issue:
                notice_id = derived_id("DN", instalment.payment_number)
                dunning = {"notice_id": notice_id, "issued_on": today.isoformat(),
                           "deadline": notice_deadline(today).isoformat(), "late": "yes" if decision.late else "no"}
                ledger = replace(ledger, dunning=dunning)
                lines[instalment.payment_number] = (instalment, decision.unpaid, dunning)
            elif item is not None:
                continue  # in arrears already, not yet (or already) dunned
            units.append(Unit(ledger=ledger, instalment=instalment, keys=[instalment.payment_number]))
        written, refused = write_units(rt, units)
        for unit in written:
            number = unit.keys[0]
            if number in lines:
                notices.append(_notice_line(*lines[number]))
                report.dunned += 1
                report.late += lines[number][2]["late"] == "yes"
            else:
                report.arrears += 1
        retry = {k for unit in refused for k in unit.keys}
        pending = [i for i in pending if i.payment_number in retry]
    if pending:
        raise RuntimeError(f"{len(pending)} 期 could not be marked after {MAX_ATTEMPTS} attempts")
    if notices:
        _write_notices(rt, notices, today, name, report)


def _notice_line(instalment: Instalment, unpaid: int, dunning: dict[str, str]) -> dict[str, Any]:
    return {"notice": "督促状", "notice_id": dunning["notice_id"], "person_id": instalment.person_id,
            "payment_number": instalment.payment_number, "fiscal_year": instalment.fiscal_year,
            "period": instalment.period, "due_date": instalment.due_date.isoformat(), "unpaid": unpaid,
            "fee": policy().dunning.fee, "issued_on": dunning["issued_on"], "deadline": dunning["deadline"],
            "late_fee_note": "納期限の翌日から納付の日までの期間に応じ延滞金を加算 (地方自治法第231条の3第2項)"}


def _write_notices(rt: Runtime, notices: list[dict[str, Any]], today: date, name: str,
                   report: DunningReport) -> None:
    """Print data with the addressee from the resident record (送付先 when one is registered)."""
    people = rt.repository(PersonRepository).get_many({n["person_id"] for n in notices})
    for notice in notices:
        person = people.get(notice["person_id"]) or {}
        notice.update(name=person.get("name"), postal_code=person.get("postal_code"),
                      address=person.get("mailing_address") or person.get("address"))
    key = f"notices/dunning/{today:%Y%m%d}/{name}.jsonl"
    body = "".join(json.dumps(n, ensure_ascii=False) + "\n" for n in notices).encode("utf-8")
    rt.objects("exchange").put(key, body, "application/x-ndjson")
    report.notice_keys.append(key)
