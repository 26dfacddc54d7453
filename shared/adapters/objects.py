"""One declared bucket: documents, exchange files, reports (design rule 1; PIA-III-7-c).

Every object is written SSE-KMS under the data key, so a bucket policy that insists on it never refuses our
own writes, and nothing depends on the bucket default alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int


class ObjectStore:
    def __init__(self, client: Any, bucket: str, kms_key: str) -> None:
        self._s3 = client
        self.bucket = bucket
        self._kms_key = kms_key

    def put(self, key: str, body: bytes, content_type: str, metadata: Mapping[str, str] | None = None,
            kms_key: str | None = None) -> None:
        """Write SSE-KMS under the bucket's data key, or under `kms_key` (the My Number key for files with My
        Numbers: only the roles allowed that key can then read them, PIA-III-3-d)."""
        self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type,
                            ServerSideEncryption="aws:kms", SSEKMSKeyId=kms_key or self._kms_key,
                            Metadata=dict(metadata or {}))

    def get(self, key: str) -> bytes:
        return bytes(self._s3.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def find(self, key: str) -> bytes | None:
        """The object's bytes, or None when there is no such object (a caller's wrong key is not our failure)."""
        try:
            return self.get(key)
        except self._s3.exceptions.NoSuchKey:
            return None

    def list(self, prefix: str) -> Iterator[StoredObject]:
        for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for entry in page.get("Contents", []):
                yield StoredObject(entry["Key"], int(entry["Size"]))
