"""廃棄証明書 under Object Lock (PIA-III-7-e): `certificates/<run id>-<sha256>.json` in the audit bucket.

The key names the body's SHA-256, S3 checks it on write (ChecksumAlgorithm), and COMPLIANCE mode keeps every
version for the retention, so a certificate can be neither changed nor removed before then; listing reads every
version, so a delete marker hides nothing.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import Any, NamedTuple

__all__ = ["ErasureCertificates", "StoredCertificate"]

PREFIX = "certificates/"
_KEY = re.compile(r"^certificates/([A-Za-z0-9-]+)-([0-9a-f]{64})\.json$")


class StoredCertificate(NamedTuple):
    run_id: str
    key: str
    sha256: str
    stored_at: str
    retain_until: str | None


class ErasureCertificates:
    def __init__(self, s3: Any, bucket: str, retention_days: int) -> None:
        self._s3 = s3
        self.bucket = bucket
        self._retention = timedelta(days=retention_days)

    def store(self, run_id: str, body: bytes, now: datetime) -> StoredCertificate:
        digest = hashlib.sha256(body).hexdigest()
        key = f"{PREFIX}{run_id}-{digest}.json"
        until = now + self._retention
        self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="application/json",
                            ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=until, ChecksumAlgorithm="SHA256")
        return StoredCertificate(run_id, key, digest, now.isoformat(), until.date().isoformat())

    def listing(self) -> list[StoredCertificate]:
        found = []
        for page in self._s3.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=PREFIX):
            for version in page.get("Versions", []):
                match = _KEY.match(version["Key"])
                if match:
                    found.append(StoredCertificate(match.group(1), version["Key"], match.group(2),
                                                   version["LastModified"].isoformat(), None))
        return sorted(found, key=lambda c: c.stored_at)

    def read(self, key: str) -> bytes:
        """The body, checked against the digest its key names."""
        body = bytes(self._s3.get_object(Bucket=self.bucket, Key=key)["Body"].read())
        match = _KEY.match(key)
        if match is None or hashlib.sha256(body).hexdigest() != match.group(2):
            raise ValueError(f"{key}: the body does not match the digest its key names")
        return body
