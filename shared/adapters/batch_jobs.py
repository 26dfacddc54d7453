"""The batch-jobs table: one item per job and one per chunk (design rule 8).

The job item holds the state and the counters; a chunk item holds what the chunk covers, its status and its
checkpoint. Every state change is a conditional write, so two workers (an SQS redelivery, a resumed job) never
count a chunk twice: a chunk is marked done and counted into its job in one small transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from shared.adapters.batch_io import BatchWriter
from shared.adapters.dynamo import (
    from_item,
    if_condition_holds,
    query_all,
    query_page,
    to_item,
    transact_if_conditions_hold,
)

__all__ = ["JOB_PART", "JobStore", "chunk_part"]

JOB_PART = "job"
LISTING = "job"  # every job item carries it: the by-listing index lists jobs newest first
KEEP_DAYS = 90


def chunk_part(number: int) -> str:
    return f"chunk#{number:05d}"


class JobStore:
    TABLE = "batch-jobs"

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self.table = table

    def _key(self, job_id: str, part: str) -> dict[str, Any]:
        return to_item({"job_id": job_id, "part": part})

    def _update(self, job_id: str, part: str, expression: str, values: Mapping[str, Any],
                condition: str | None = None, names: Mapping[str, str] | None = None) -> bool:
        request: dict[str, Any] = {"TableName": self.table, "Key": self._key(job_id, part),
                                   "UpdateExpression": expression, "ExpressionAttributeValues": to_item(values)}
        if condition:
            request["ConditionExpression"] = condition
        if "#s" in expression + (condition or ""):
            request["ExpressionAttributeNames"] = {"#s": "state" if part == JOB_PART else "status", **(names or {})}
        return if_condition_holds(self._db.update_item, **request)

    # --- planning ------------------------------------------------------------------------------------------
    def claim(self, job: Mapping[str, Any], at: datetime, lease: timedelta) -> bool:
        """Create the job in state `planning`, or take over a planning that stopped longer than `lease` ago."""
        item = {**job, "part": JOB_PART, "listing": LISTING, "state": "planning", "planning_at": at.isoformat(),
                "expires_at": int((at + timedelta(days=KEEP_DAYS)).timestamp())}
        return if_condition_holds(
            self._db.put_item, TableName=self.table, Item=to_item(item),
            ConditionExpression="attribute_not_exists(job_id) OR (#s = :planning AND planning_at < :stale)",
            ExpressionAttributeNames={"#s": "state"},
            ExpressionAttributeValues=to_item({":planning": "planning", ":stale": (at - lease).isoformat()}))

    def put_chunks(self, job_id: str, chunks: Sequence[Mapping[str, Any]], at: datetime) -> None:
        """Write the chunk items of a job being planned (nothing has been sent for them yet)."""
        writer = BatchWriter(self._db, {self.table: ("job_id", "part")})
        expires = int((at + timedelta(days=KEEP_DAYS)).timestamp())
        for chunk in chunks:
            writer.put(self.table, {"job_id": job_id, "part": chunk_part(chunk["number"]), "number": chunk["number"],
                                    "stage": chunk["stage"], "status": "pending", "attempts": 0,
                                    "spec": json.dumps(chunk["spec"], sort_keys=True), "expires_at": expires})
        writer.flush()

    def open(self, job_id: str, first_stage_chunks: int) -> bool:
        """planning -> running, with stage 1 and its chunk count."""
        return self._update(job_id, JOB_PART, "SET #s = :running, stage = :one, stage_chunks = :n, "
                            "stage_finished = :zero", {":running": "running", ":one": 1, ":n": first_stage_chunks,
                                                       ":zero": 0, ":planning": "planning"},
                            "#s = :planning")

    def close_unplanned(self, job_id: str, state: str, summary: Mapping[str, Any], at: datetime) -> bool:
        """planning -> a final state without chunks (a refused file)."""
        return self._update(job_id, JOB_PART, "SET #s = :state, summary = :summary, finished_at = :at",
                            {":state": state, ":summary": json.dumps(summary, ensure_ascii=False, sort_keys=True),
                             ":at": at.isoformat(), ":planning": "planning"}, "#s = :planning")

    # --- reading -------------------------------------------------------------------------------------------
    def get(self, job_id: str) -> dict[str, Any] | None:
        item = self._db.get_item(TableName=self.table, Key=self._key(job_id, JOB_PART), ConsistentRead=True)
        return from_item(item["Item"]) if "Item" in item else None

    def chunk(self, job_id: str, number: int) -> dict[str, Any] | None:
        item = self._db.get_item(TableName=self.table, Key=self._key(job_id, chunk_part(number)),
                                 ConsistentRead=True)
        return from_item(item["Item"]) if "Item" in item else None

    def chunks(self, job_id: str) -> list[dict[str, Any]]:
        return list(query_all(self._db, TableName=self.table, ConsistentRead=True,
                              KeyConditionExpression="job_id = :j AND begins_with(part, :c)",
                              ExpressionAttributeValues=to_item({":j": job_id, ":c": "chunk#"})))

    def page(self, limit: int, start_key: Mapping[str, Any] | None) -> tuple[list[dict[str, Any]], dict | None]:
        """Jobs, newest first."""
        return query_page(self._db, limit, start_key, TableName=self.table, IndexName="by-listing",
                          KeyConditionExpression="listing = :l", ScanIndexForward=False,
                          ExpressionAttributeValues=to_item({":l": LISTING}))

    def chunk_page(self, job_id: str, limit: int, start: Mapping[str, Any] | None,
                   ) -> tuple[list[dict[str, Any]], dict | None]:
        """A job's chunks in order."""
        return query_page(self._db, limit, start, TableName=self.table,
                          KeyConditionExpression="job_id = :j AND begins_with(part, :c)",
                          ExpressionAttributeValues=to_item({":j": job_id, ":c": "chunk#"}))

    # --- chunks --------------------------------------------------------------------------------------------
    def start_chunk(self, job_id: str, number: int, attempt: int, at: datetime) -> bool:
        """Record an attempt; False when the chunk is already done or set aside (nothing to do)."""
        return self._update(job_id, chunk_part(number), "SET #s = :running, attempts = :a, started_at = :at",
                            {":running": "running", ":pending": "pending", ":a": attempt, ":at": at.isoformat()},
                            "#s IN (:pending, :running)")

    def note_failure(self, job_id: str, number: int, error: str) -> None:
        self._update(job_id, chunk_part(number), "SET last_error = :e", {":e": error})

    def complete_chunk(self, job_id: str, number: int, stage: int, counts: Mapping[str, int], millis: int,
                       at: datetime) -> bool:
        """Mark a chunk done and add its counts to the job, in one transaction; False if it was done already."""
        adds = ", ".join(f"n_{name} :n_{name}" for name in counts)
        job_values = {":one": 1, ":stage": stage, **{f":n_{k}": int(v) for k, v in counts.items()}}
        return transact_if_conditions_hold(self._db, [
            {"Update": {"TableName": self.table, "Key": self._key(job_id, chunk_part(number)),
                        "UpdateExpression": "SET #s = :done, finished_at = :at, millis = :ms, counts = :c",
                        "ConditionExpression": "#s IN (:pending, :running)",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": to_item({
                            ":done": "done", ":at": at.isoformat(), ":ms": millis, ":pending": "pending",
                            ":running": "running", ":c": json.dumps(dict(counts), sort_keys=True)})}},
            {"Update": {"TableName": self.table, "Key": self._key(job_id, JOB_PART),
                        "UpdateExpression": "ADD chunks_done :one, stage_finished :one" + (f", {adds}" if adds else ""),
                        "ConditionExpression": "stage = :stage", "ExpressionAttributeValues": to_item(job_values)}},
        ])

    def set_aside_chunk(self, job_id: str, number: int, stage: int, reason: str, at: datetime) -> bool:
        """Mark a chunk dead (dead-lettered) with its reason and count it into its job; False if it was not live."""
        return transact_if_conditions_hold(self._db, [
            {"Update": {"TableName": self.table, "Key": self._key(job_id, chunk_part(number)),
                        "UpdateExpression": "SET #s = :dead, finished_at = :at, reason = :r",
                        "ConditionExpression": "#s IN (:pending, :running)",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": to_item({":dead": "dead", ":at": at.isoformat(), ":r": reason,
                                                              ":pending": "pending", ":running": "running"})}},
            {"Update": {"TableName": self.table, "Key": self._key(job_id, JOB_PART),
                        "UpdateExpression": "ADD chunks_dead :one, stage_finished :one "
                                            "SET reason = if_not_exists(reason, :r)",
                        "ConditionExpression": "stage = :stage",
                        "ExpressionAttributeValues": to_item({":one": 1, ":stage": stage,
                                                              ":r": f"chunk {number}: {reason}"})}},
        ])

    def redrive_chunk(self, job_id: str, number: int, stage: int) -> bool:
        """Give a dead chunk another set of attempts and reopen its job; False if the chunk was not dead."""
        return transact_if_conditions_hold(self._db, [
            {"Update": {"TableName": self.table, "Key": self._key(job_id, chunk_part(number)),
                        "UpdateExpression": "SET #s = :pending, attempts = :zero REMOVE reason, finished_at",
                        "ConditionExpression": "#s = :dead", "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": to_item({":pending": "pending", ":zero": 0, ":dead": "dead"})}},
            {"Update": {"TableName": self.table, "Key": self._key(job_id, JOB_PART),
                        "UpdateExpression": "ADD chunks_dead :minus, stage_finished :minus "
                                            "SET #s = :running REMOVE reason, finished_at",
                        "ConditionExpression": "stage = :stage AND #s IN (:running, :failed)",
                        "ExpressionAttributeNames": {"#s": "state"},
                        "ExpressionAttributeValues": to_item({":minus": -1, ":stage": stage, ":running": "running",
                                                              ":failed": "failed"})}},
        ])

    # --- stages and the end --------------------------------------------------------------------------------
    def advance_stage(self, job_id: str, stage: int, next_stage_chunks: int) -> bool:
        """Move to the next stage once every chunk of `stage` is done (one worker wins)."""
        return self._update(job_id, JOB_PART, "SET stage = :next, stage_chunks = :n, stage_finished = :zero",
                            {":next": stage + 1, ":n": next_stage_chunks, ":zero": 0, ":stage": stage,
                             ":running": "running"},
                            "#s = :running AND stage = :stage AND stage_finished = stage_chunks")

    def begin_finish(self, job_id: str, stage: int, at: datetime, lease: timedelta) -> bool:
        """running -> finishing once the current stage has finished (one worker wins), or take over a closing
        step that stopped more than `lease` ago."""
        return self._update(job_id, JOB_PART, "SET #s = :finishing, finishing_at = :at",
                            {":finishing": "finishing", ":stage": stage, ":running": "running", ":at": at.isoformat(),
                             ":stale": (at - lease).isoformat()},
                            "(#s = :running AND stage = :stage AND stage_finished = stage_chunks) OR "
                            "(#s = :finishing AND finishing_at < :stale)")

    def end_finish(self, job_id: str, state: str, summary: Mapping[str, Any], at: datetime) -> bool:
        return self._update(job_id, JOB_PART, "SET #s = :state, summary = :summary, finished_at = :at",
                            {":state": state, ":finishing": "finishing", ":at": at.isoformat(),
                             ":summary": json.dumps(summary, ensure_ascii=False, sort_keys=True)},
                            "#s = :finishing")
