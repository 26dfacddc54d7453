"""Server-side sessions with idle log-off (PIA-III-3-e).

A session is keyed by a hash of the token's issuer and `jti`, so one token is one session. Records expire
by TTL a day after they were last used; the idle decision itself is made here, against the injected clock,
never left to TTL timing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.adapters.dynamo import from_item, if_condition_holds, to_item

TTL_AFTER_LAST_USE = timedelta(days=1)


@dataclass(frozen=True)
class Session:
    session_id: str
    staff_id: str
    opened_at: datetime
    last_seen_at: datetime
    status: str  # "open" | "closed"
    closed_reason: str | None = None

    def idle_for(self, now: datetime) -> timedelta:
        return now - self.last_seen_at


def session_id_for(issuer: str, jti: str) -> str:
    return hashlib.sha256(f"{issuer}\x00{jti}".encode()).hexdigest()


class SessionStore:
    TABLE = "sessions"

    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def get(self, session_id: str) -> Session | None:
        item = self._db.get_item(
            TableName=self._table, Key=to_item({"session_id": session_id}), ConsistentRead=True
        )
        return _session(from_item(item["Item"])) if "Item" in item else None

    def open(self, session_id: str, staff_id: str, now: datetime) -> Session | None:
        """Open a session; None when another request opened it first (the caller then reads it)."""
        opened = if_condition_holds(
            self._db.put_item,
            TableName=self._table,
            Item=to_item({"session_id": session_id, "staff_id": staff_id, "opened_at": now.isoformat(),
                          "last_seen_at": now.isoformat(), "status": "open", "expires_at": _ttl(now)}),
            ConditionExpression="attribute_not_exists(session_id)",
        )
        return Session(session_id, staff_id, now, now, "open") if opened else None

    def touch(self, session_id: str, now: datetime) -> bool:
        """Record activity; False when the session was closed meanwhile."""
        return self._update_if_open(session_id, "SET last_seen_at = :now, expires_at = :ttl",
                                    {":now": now.isoformat(), ":ttl": _ttl(now)})

    def close(self, session_id: str, reason: str, now: datetime) -> bool:
        """Close an open session; False when it was already closed (idempotent sign-out)."""
        return self._update_if_open(session_id, "SET #s = :closed, closed_reason = :reason, closed_at = :now",
                                    {":closed": "closed", ":reason": reason, ":now": now.isoformat()})

    def _update_if_open(self, session_id: str, expression: str, values: dict[str, Any]) -> bool:
        return if_condition_holds(
            self._db.update_item,
            TableName=self._table,
            Key=to_item({"session_id": session_id}),
            UpdateExpression=expression,
            ConditionExpression="#s = :open",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues=to_item({**values, ":open": "open"}),
        )


def _ttl(now: datetime) -> int:
    return int((now + TTL_AFTER_LAST_USE).timestamp())


def _session(values: dict[str, Any]) -> Session:
    return Session(
        session_id=values["session_id"],
        staff_id=values["staff_id"],
        opened_at=datetime.fromisoformat(values["opened_at"]),
        last_seen_at=datetime.fromisoformat(values["last_seen_at"]),
        status=values["status"],
        closed_reason=values.get("closed_reason"),
    )
