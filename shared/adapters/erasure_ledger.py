"""The ledger of one deletion run (PIA-III-7-e): its chunks of targets, then one entry per erased target.

An entry is written once (a conditional put) after its target is erased everywhere, so a run resumed after a
crash skips what it finished, redoes only the target it was in the middle of (erasing is idempotent), and counts
each target once. Chunks carry record ids while the run lasts and are removed when its certificate is stored.
"""

from __future__ import annotations

import json
from typing import Any

from shared.adapters.batch_io import batch_get
from shared.adapters.dynamo import from_item, if_condition_holds, query_all, to_item

__all__ = ["ErasureLedger"]

CHUNK, ERASED = "chunk#", "erased#"


class ErasureLedger:
    TABLE = "deletion-ledger"

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self.table = table

    def add_chunk(self, run_id: str, number: int, targets: list[dict[str, Any]]) -> None:
        self._db.put_item(TableName=self.table, Item=to_item({
            "run_id": run_id, "entry": f"{CHUNK}{number:06d}", "targets": json.dumps(targets, ensure_ascii=False),
            "status": "pending"}))

    def _entries(self, run_id: str, prefix: str) -> list[dict[str, Any]]:
        return list(query_all(self._db, TableName=self.table, ConsistentRead=True,
                              KeyConditionExpression="run_id = :r AND begins_with(#e, :p)",
                              ExpressionAttributeNames={"#e": "entry"},
                              ExpressionAttributeValues=to_item({":r": run_id, ":p": prefix})))

    def chunks(self, run_id: str) -> list[dict[str, Any]]:
        """Every chunk in order, with its targets decoded."""
        return [{**c, "number": int(c["entry"][len(CHUNK):]), "targets": json.loads(c["targets"])}
                for c in self._entries(run_id, CHUNK)]

    def chunk(self, run_id: str, number: int) -> dict[str, Any] | None:
        """One chunk with its targets decoded; None when it is gone (the run's certificate is stored)."""
        found = self._db.get_item(TableName=self.table, ConsistentRead=True,
                                  Key=to_item({"run_id": run_id, "entry": f"{CHUNK}{number:06d}"})).get("Item")
        if not found:
            return None
        item = from_item(found)
        return {**item, "number": number, "targets": json.loads(item["targets"])}

    def chunk_numbers(self, run_id: str) -> list[tuple[int, str]]:
        """(number, status) of every chunk in order; the targets' ids are not read."""
        items = query_all(self._db, TableName=self.table, ConsistentRead=True,
                          KeyConditionExpression="run_id = :r AND begins_with(#e, :p)",
                          ProjectionExpression="#e, #s", ExpressionAttributeNames={"#e": "entry", "#s": "status"},
                          ExpressionAttributeValues=to_item({":r": run_id, ":p": CHUNK}))
        return [(int(c["entry"][len(CHUNK):]), c["status"]) for c in items]

    def erased_among(self, run_id: str, hashed_ids: list[str]) -> set[str]:
        """Which of these targets have their entry already (consistent reads, 100 keys a request)."""
        keys = [{"run_id": run_id, "entry": f"{ERASED}{h}"} for h in hashed_ids]
        found = batch_get(self._db, self.table, keys, projection=("entry",))
        return {item["entry"][len(ERASED):] for item in found}

    def chunk_done(self, run_id: str, number: int) -> None:
        self._db.update_item(TableName=self.table, Key=to_item({"run_id": run_id, "entry": f"{CHUNK}{number:06d}"}),
                             UpdateExpression="SET #s = :d", ExpressionAttributeNames={"#s": "status"},
                             ExpressionAttributeValues=to_item({":d": "done"}))

    def drop_chunks(self, run_id: str) -> None:
        for chunk in self._entries(run_id, CHUNK):
            self._db.delete_item(TableName=self.table, Key=to_item({"run_id": run_id, "entry": chunk["entry"]}))

    def erased_ids(self, run_id: str) -> set[str]:
        return {e["entry"][len(ERASED):] for e in self._entries(run_id, ERASED)}

    def record_erased(self, run_id: str, hashed_id: str, values: dict[str, Any]) -> bool:
        """Record that a target is erased everywhere; False when it was recorded before (a resumed chunk)."""
        encoded = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in values.items()}
        item = {"run_id": run_id, "entry": f"{ERASED}{hashed_id}", **encoded}
        return if_condition_holds(self._db.put_item, TableName=self.table, Item=to_item(item),
                                  ConditionExpression="attribute_not_exists(#e)",
                                  ExpressionAttributeNames={"#e": "entry"})

    def erased(self, run_id: str) -> list[dict[str, Any]]:
        out = []
        for entry in self._entries(run_id, ERASED):
            decoded = {k: json.loads(v) if k in ("stores", "waiting") else v for k, v in entry.items()}
            out.append({**decoded, "hashed_id": entry["entry"][len(ERASED):]})
        return out
