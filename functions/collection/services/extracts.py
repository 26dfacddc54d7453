"""The daily 収納 and 滞納 extracts for the 広域連合 (PIA-II-5-a: 期割/収納/滞納 daily over the dedicated line).

Collection does not send them itself: it leaves each day's extract in the exchange bucket under `extracts/` and
queues it for the transfer workflow (`transfer-queue`), whose export filter decides what leaves (PIA-III-2-b,
III-3-b). The extracts carry person ids, 納付番号 and amounts; never a My Number or an account number. Both are
idempotent: the same day gives the same object and the same queue entry.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from functions.collection.rules.ids import derived_id
from functions.collection.services.store import unpaid_ledgers
from shared.adapters.transfer_queue import TransferQueue
from shared.domain.counterparties import KOUIKI_RENGO
from shared.runtime import Runtime

__all__ = ["write_daily_extracts"]

YEARS_BACK = 12


def _put(rt: Runtime, day: date, name: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    key = f"extracts/daily/{day:%Y%m%d}/{name}.jsonl"
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode("utf-8")
    rt.objects("exchange").put(key, body, "application/x-ndjson")
    rt.repository(TransferQueue).enqueue(kind=f"collection-{name}-daily", counterparty=KOUIKI_RENGO,
                                         entity_id=f"extract:{day:%Y%m%d}", reference=key, at=rt.clock(),
                                         queue_id=derived_id("TQ", name, f"{day:%Y%m%d}"),
                                         summary={"key": key, "rows": len(rows)})
    return {"key": key, "rows": len(rows)}


def write_daily_extracts(rt: Runtime, day: date) -> dict[str, Any]:
    """収納: what was posted on `day` (the chunks' parts, joined); 滞納: every 期 unpaid after its 納期限."""
    receipts: list[dict[str, Any]] = []
    for stored in sorted(rt.objects("exchange").list(f"extracts/receipts/{day:%Y%m%d}/"), key=lambda o: o.key):
        receipts += [json.loads(line) for line in rt.objects("exchange").get(stored.key).decode().splitlines()]
    arrears: list[dict[str, Any]] = []
    for instalment, ledger in unpaid_ledgers(rt, range(day.year - YEARS_BACK, day.year + 1)):
        if instalment.collectable and instalment.due_date < day and ledger.outstanding(instalment) > 0:
            arrears.append({"person_id": instalment.person_id, "payment_number": instalment.payment_number,
                            "fiscal_year": instalment.fiscal_year, "period": instalment.period,
                            "due_date": instalment.due_date.isoformat(),
                            "outstanding": ledger.outstanding(instalment),
                            "dunned_on": (ledger.dunning or {}).get("issued_on")})
    arrears.sort(key=lambda r: (r["person_id"], r["fiscal_year"], r["period"]))
    return {"receipts": _put(rt, day, "receipts", receipts), "arrears": _put(rt, day, "arrears", arrears)}
