"""Digests of the audit chain in the Object-Lock audit bucket (design rule 7; PIA-III-8).

A digest anchors the chain's head at one moment: `digests/<seq, 12 digits>-<hash>.json`, the key itself being the
claim (sequence number and head hash), the body repeating it with the time and the writer. Each object is locked
in COMPLIANCE mode for the audit retention, so no one — not the account's root — can delete or change it before
then. Reading lists every *version* under the prefix: a delete request without a version id only adds a delete
marker, which hides nothing from the verifier and is itself reported.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from botocore.exceptions import ClientError

from shared.adapters.objects import is_missing
from shared.domain.audit_chain import Head
from shared.domain.audit_verify import Digest

__all__ = ["AuditDigests", "DigestListing"]

PREFIX = "digests/"
_KEY = re.compile(r"^digests/(\d{12})-([0-9a-f]{64})\.json$")


class DigestListing(NamedTuple):
    digests: list[Digest]
    unreadable: list[str]  # keys under the prefix that are not digests


class AuditDigests:
    def __init__(self, s3: Any, bucket: str, retention_days: int) -> None:
        self._s3 = s3
        self.bucket = bucket
        self._retention = timedelta(days=retention_days)

    @staticmethod
    def key_for(head: Head) -> str:
        return f"{PREFIX}{head.seq:012d}-{head.hash}.json"

    def write(self, head: Head, now: datetime, writer: str) -> str:
        """Anchor `head` under Object Lock; returns the object key."""
        key = self.key_for(head)
        body = json.dumps({"seq": head.seq, "hash": head.hash, "anchored_at": now.isoformat(), "writer": writer},
                          sort_keys=True).encode()
        self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="application/json",
                            ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=now + self._retention,
                            ChecksumAlgorithm="SHA256")
        return key

    def exists(self, head: Head) -> bool:
        """Whether this head is anchored already (any version of its digest)."""
        try:
            self._s3.head_object(Bucket=self.bucket, Key=self.key_for(head))
        except ClientError as error:
            if is_missing(error):
                return False
            raise
        return True

    def listing(self) -> DigestListing:
        """Every version of every object under the prefix, delete markers noted."""
        digests, unreadable, hidden = [], [], set()
        for page in self._s3.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=PREFIX):
            hidden |= {m["Key"] for m in page.get("DeleteMarkers", []) if m.get("IsLatest")}
            for version in page.get("Versions", []):
                match = _KEY.match(version["Key"])
                if match is None:
                    unreadable.append(version["Key"])
                else:
                    digests.append((version["Key"], int(match.group(1)), match.group(2)))
        return DigestListing([Digest(key, seq, digest, key in hidden) for key, seq, digest in digests], unreadable)
