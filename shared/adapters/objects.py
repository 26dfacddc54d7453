"""One declared bucket: documents, exchange files, reports (design rule 1; PIA-III-7-c).

Every object is written SSE-KMS under the data key, so a bucket policy that insists on it never refuses our
own writes, and nothing depends on the bucket default alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from botocore.exceptions import ClientError


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int


CONDITIONAL_ATTEMPTS = 3


def is_missing(error: ClientError) -> bool:
    """Whether S3 answered that there is no such object (a HEAD says 404, a GET NoSuchKey)."""
    return error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")


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

    def put_new(self, key: str, body: bytes, content_type: str, metadata: Mapping[str, str] | None = None,
                kms_key: str | None = None) -> bool:
        """Write only if there is no object under the key (S3's conditional write, `If-None-Match: *`); False when
        there is one, which is left as it is. A file handed to a recipient is written once, whoever else tries."""
        for _ in range(CONDITIONAL_ATTEMPTS):
            try:
                self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type,
                                    ServerSideEncryption="aws:kms", SSEKMSKeyId=kms_key or self._kms_key,
                                    Metadata=dict(metadata or {}), IfNoneMatch="*")
                return True
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                if code == "PreconditionFailed":  # 412: an object is there
                    return False
                if code != "ConditionalRequestConflict":  # 409: a write of the same key in flight; ask again
                    raise
        raise RuntimeError(f"{key}: concurrent writes kept conflicting")

    def metadata(self, key: str) -> dict[str, str] | None:
        """The object's user metadata (HeadObject), or None when there is no such object."""
        try:
            return dict(self._s3.head_object(Bucket=self.bucket, Key=key).get("Metadata", {}))
        except ClientError as error:
            if is_missing(error):
                return None
            raise

    def put_file(self, key: str, source: IO[bytes], content_type: str) -> None:
        """Upload a file of any size in parts (a 住基 file of a million rows is ~200 MB)."""
        self._s3.upload_fileobj(source, self.bucket, key, ExtraArgs={
            "ContentType": content_type, "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self._kms_key})

    def get(self, key: str) -> bytes:
        return bytes(self._s3.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def find(self, key: str) -> bytes | None:
        """The object's bytes, or None when there is no such object (a caller's wrong key is not our failure)."""
        try:
            return self.get(key)
        except self._s3.exceptions.NoSuchKey:
            return None

    def stream(self, key: str, start: int | None = None, end: int | None = None,
               piece: int = 1 << 20) -> Iterator[bytes]:
        """The object, or bytes [start, end) of it, in pieces: a large file is never held whole."""
        if start is not None and end is not None and end <= start:
            return
        extra = {"Range": f"bytes={start or 0}-{'' if end is None else end - 1}"} if start is not None else {}
        yield from self._s3.get_object(Bucket=self.bucket, Key=key, **extra)["Body"].iter_chunks(piece)

    def page(self, prefix: str, limit: int, after: str | None) -> tuple[list[StoredObject], str | None]:
        """Up to `limit` objects under `prefix` in key order after key `after`, and the last key if more follow."""
        response = self._s3.list_objects_v2(Bucket=self.bucket, Prefix=prefix, MaxKeys=limit,
                                            **({"StartAfter": after} if after else {}))
        found = [StoredObject(e["Key"], int(e["Size"])) for e in response.get("Contents", [])]
        return found, found[-1].key if response.get("IsTruncated") and found else None

    def list(self, prefix: str) -> Iterator[StoredObject]:
        for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for entry in page.get("Contents", []):
                yield StoredObject(entry["Key"], int(entry["Size"]))


def put_reject_report(store: ObjectStore, counterparty: str, at: datetime, file_hash: str,
                      rejects: Iterable[tuple[int, str, str]]) -> str:
    """The reject report of an inbound file, one (row, field, reason) a line, never a value (design rule 9);
    returns its key, `reports/<counterparty>/<date>/<hash>-rejects.csv`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "field", "reason"])
    writer.writerows(rejects)
    key = f"reports/{counterparty}/{at:%Y%m%d}/{file_hash[:16]}-rejects.csv"
    store.put(key, out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")
    return key
