"""Erasure where the data lives (PIA-III-7-e): table items and attributes, and every version and delete marker of
S3 objects, in the primary bucket and its Osaka replica.

A versioned bucket keeps a deleted object as a noncurrent version behind a delete marker, and replication never
carries the deletion of a version: so each version and each marker is deleted by its version id, in each bucket.
A version under Object Lock (retain-until in the future, or a legal hold) cannot be deleted by anyone; it is
reported with the date it can go instead. Every call is idempotent: erasing what is gone already changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from shared.adapters.dynamo import from_item, query_all, to_item

__all__ = ["ObjectEraser", "ObjectVersion", "TableEraser"]


@dataclass(frozen=True)
class ObjectVersion:
    bucket: str
    region: str
    key: str
    version_id: str
    delete_marker: bool
    written_at: datetime
    erased: bool = False
    locked_until: str | None = None  # ISO date: Object Lock keeps it until then (or "legal-hold")


class ObjectEraser:
    """Every version of objects under a prefix, in one bucket of one region."""

    def __init__(self, s3: Any, bucket: str, region: str) -> None:
        self._s3 = s3
        self.bucket = bucket
        self.region = region
        self._locking: bool | None = None
        self._default_days: int | None = None

    def versions(self, prefix: str) -> Iterator[ObjectVersion]:
        for page in self._s3.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=prefix):
            for entry, marker in [(v, False) for v in page.get("Versions", [])] + \
                                 [(m, True) for m in page.get("DeleteMarkers", [])]:
                yield ObjectVersion(self.bucket, self.region, entry["Key"], entry["VersionId"], marker,
                                    entry["LastModified"])

    def _object_lock(self) -> bool:
        if self._locking is None:
            try:
                config = self._s3.get_object_lock_configuration(Bucket=self.bucket).get("ObjectLockConfiguration", {})
                self._locking = config.get("ObjectLockEnabled") == "Enabled"
                default = config.get("Rule", {}).get("DefaultRetention", {})
                self._default_days = default.get("Days") or (365 * default["Years"] if "Years" in default else None)
            except ClientError:
                self._locking = False
        return self._locking

    def _lock_of(self, version: ObjectVersion, now: datetime) -> str | None:
        if version.delete_marker or not self._object_lock():
            return None  # delete markers are not WORM-protected
        args = {"Bucket": self.bucket, "Key": version.key, "VersionId": version.version_id}
        try:
            if self._s3.get_object_legal_hold(**args).get("LegalHold", {}).get("Status") == "ON":
                return "legal-hold"
        except ClientError:
            pass
        try:
            until = self._s3.get_object_retention(**args)["Retention"]["RetainUntilDate"]
        except ClientError:  # no retention of its own: the bucket's default retention applies from its writing
            if not self._default_days:
                return None
            until = version.written_at + timedelta(days=self._default_days)
        return until.date().isoformat() if until > now else None

    def erase(self, version: ObjectVersion, now: datetime) -> ObjectVersion:
        """Delete this version (or marker) by its id, unless Object Lock keeps it."""
        locked = self._lock_of(version, now)
        if locked:
            return ObjectVersion(**{**version.__dict__, "locked_until": locked})
        self._s3.delete_object(Bucket=self.bucket, Key=version.key, VersionId=version.version_id)
        return ObjectVersion(**{**version.__dict__, "erased": True})


class TableEraser:
    """Find and erase items of one table, whatever its key shape."""

    def __init__(self, client: Any, table: str, key_fields: tuple[str, ...]) -> None:
        self._db = client
        self.table = table
        self.key_fields = key_fields

    def by_key(self, value: str) -> list[dict[str, Any]]:
        """Items whose partition key is `value` (one, or all of a partition when the table has a sort key)."""
        return list(query_all(self._db, TableName=self.table, KeyConditionExpression="#k = :v",
                              ExpressionAttributeNames={"#k": self.key_fields[0]},
                              ExpressionAttributeValues=to_item({":v": value}), ConsistentRead=True))

    def by_index(self, index: str, field: str, value: str) -> list[dict[str, Any]]:
        return list(query_all(self._db, TableName=self.table, IndexName=index, KeyConditionExpression="#k = :v",
                              ExpressionAttributeNames={"#k": field}, ExpressionAttributeValues=to_item({":v": value})))

    def scan(self, filter_expression: str | None = None, names: dict[str, str] | None = None,
             values: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item (matching the filter), page by page: for planning runs and for small tables only."""
        kwargs: dict[str, Any] = {"TableName": self.table}
        if filter_expression:
            kwargs.update(FilterExpression=filter_expression, ExpressionAttributeNames=names or {})
            if values:
                kwargs["ExpressionAttributeValues"] = to_item(values)
        for page in self._db.get_paginator("scan").paginate(**kwargs):
            for item in page.get("Items", []):
                yield from_item(item)

    def put(self, item: dict[str, Any]) -> None:
        """Write an item whole (legal holds: small records that no maker-checker guards)."""
        self._db.put_item(TableName=self.table, Item=to_item(item))

    def key_of(self, item: dict[str, Any]) -> dict[str, Any]:
        return {f: item[f] for f in self.key_fields}

    def delete(self, item: dict[str, Any]) -> bool:
        """Delete the item; False when it was gone already."""
        old = self._db.delete_item(TableName=self.table, Key=to_item(self.key_of(item)), ReturnValues="ALL_OLD")
        return "Attributes" in old

    def remove(self, item: dict[str, Any], attributes: tuple[str, ...], marks: dict[str, Any]) -> bool:
        """Remove the attributes the item has of `attributes` and set `marks` (at least one); False when it had
        none of them."""
        present = [a for a in attributes if a in item]
        if not present:
            return False
        names = {f"#r{i}": a for i, a in enumerate(present)} | {f"#m{i}": k for i, k in enumerate(marks)}
        expression = ("REMOVE " + ", ".join(f"#r{i}" for i in range(len(present)))
                      + " SET " + ", ".join(f"#m{i} = :m{i}" for i in range(len(marks))))
        self._db.update_item(TableName=self.table, Key=to_item(self.key_of(item)), UpdateExpression=expression,
                             ExpressionAttributeNames=names,
                             ExpressionAttributeValues=to_item({f":m{i}": v for i, v in enumerate(marks.values())}),
                             ConditionExpression=f"attribute_exists({self.key_fields[0]})")
        return True
