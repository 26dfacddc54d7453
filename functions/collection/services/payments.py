"""収納データ files from the 指定金融機関 (窓口) and the convenience-store agent (速報, 確報): validated whole,
then posted in chunks (`postings.py`); a 速報 only marks the 期 (file-layouts §4: the 確報 is the accounting
truth). The receipt id is the agent's and its 受付番号, so the 確報 of a payment seen in a 速報, a file sent
twice, or a run resumed after a stop never posts a payment twice."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date

from functions.collection.rules.matching import Receipt
from functions.collection.rules.payment_file import Channel, PaymentFile, PaymentRecord, parse_payment_file
from functions.collection.services.inbound import FileRun, Plan, receive
from functions.collection.services.postings import ChunkReport, note_preliminaries, post_receipts
from shared.domain.calendar import date_in_japan
from shared.observability import count
from shared.runtime import Runtime

__all__ = ["CHANNEL_NAMES", "import_payments", "write_extract_part"]

CHANNEL_NAMES = {Channel.COUNTER: "counter", Channel.CVS_PRELIMINARY: "cvs", Channel.CVS_FINAL: "cvs"}


def _receipt(counterparty: str, parsed: PaymentFile, record: PaymentRecord, file_hash: str) -> Receipt:
    return Receipt(Receipt.id_for(counterparty, record.reference), record.payment_number.strip(), record.amount,
                   record.received_on, CHANNEL_NAMES[parsed.channel], f"{file_hash[:16]}:{record.record}",
                   record.funded_on)


def write_extract_part(rt: Runtime, today: date, name: str, lines: Sequence[dict[str, object]]) -> None:
    """The postings of one chunk for the daily 収納 extract (`extracts.py`); the name is derived, so a re-run of the
    chunk writes the same object again."""
    if lines:
        body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
        rt.objects("exchange").put(f"extracts/receipts/{today:%Y%m%d}/{name}.jsonl", body, "application/x-ndjson")


def import_payments(rt: Runtime, counterparty: str, content: bytes, *, staff_id: str = "system",
                    chunk_size: int = 1000, progress: Callable[[int, int], None] | None = None) -> FileRun:
    """Validate and apply a 収納データ file (raises FileRejected, UnknownCounterparty)."""
    today = date_in_japan(rt.clock())

    def plan(data: bytes, file_hash: str) -> Plan[PaymentRecord]:
        parsed = parse_payment_file(data)

        def apply(chunk: Sequence[PaymentRecord]) -> dict[str, int]:
            receipts = [_receipt(counterparty, parsed, r, file_hash) for r in chunk]
            if not parsed.channel.final:
                changed = note_preliminaries(rt, [(rc, r.cancelled) for rc, r in zip(receipts, chunk, strict=True)])
                return {"preliminary_records": len(chunk), "ledgers_marked": changed}
            report: ChunkReport = post_receipts(rt, receipts, today)
            write_extract_part(rt, today, f"{file_hash[:16]}-{chunk[0].record:07d}", report.lines)
            count("PaymentsPosted", len(report.lines))
            return report.totals()

        return Plan(parsed.records, apply, chunk_size)

    return receive(rt, counterparty, "payments", content, plan, staff_id=staff_id, progress=progress,
                   purpose="収納消込 (PIA-I-1-d)")
