"""The proof scan of issue 16 (PIA-III-7-e): every table in both regions, every object version (and delete marker)
of every bucket in both regions, and the logs, searched for traces of a person."""

from __future__ import annotations

import json
from typing import Any

from shared.adapters.dynamo import from_item
from shared.runtime import Runtime

__all__ = ["traces"]

REGIONS = ("ap-northeast-1", "ap-northeast-3")


def _needles(values: list[str]) -> list[bytes]:
    out = []
    for value in values:
        for encoding in ("utf-8", "cp932"):
            try:
                out.append(value.encode(encoding))
            except UnicodeEncodeError:
                pass
    return out


def _tables(rt: Runtime, region: str) -> dict[str, list[dict[str, Any]]]:
    db = rt.clients.client("dynamodb", region)
    found = {}
    for page in db.get_paginator("list_tables").paginate():
        for name in page["TableNames"]:
            items = [from_item(i) for p in db.get_paginator("scan").paginate(TableName=name) for i in p["Items"]]
            found[name] = items
    return found


def _objects(rt: Runtime, region: str) -> dict[str, bytes]:
    s3 = rt.clients.client("s3", region)
    found = {}
    for bucket in s3.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        if s3.get_bucket_location(Bucket=name).get("LocationConstraint") != region:
            continue
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
            for version in page.get("Versions", []):
                body = s3.get_object(Bucket=name, Key=version["Key"], VersionId=version["VersionId"])["Body"].read()
                found[f"s3:{name}@{region}/{version['Key']}#{version['VersionId']}"] = version["Key"].encode() + body
            for marker in page.get("DeleteMarkers", []):
                found[f"s3:{name}@{region}/{marker['Key']}#marker"] = marker["Key"].encode()
    return found


def traces(rt: Runtime, values: list[str], logs: str = "") -> list[str]:
    """Where any of `values` (a My Number, its stored forms, a name, a birth date …) still appears."""
    needles = _needles(values)
    hits = []
    for region in REGIONS:
        for table, items in _tables(rt, region).items():
            for item in items:
                text = json.dumps(item, ensure_ascii=False, default=str).encode()
                if any(n in text for n in needles):
                    hits.append(f"dynamodb:{table}@{region}")
        for where, body in _objects(rt, region).items():
            if any(n in body for n in needles):
                hits.append(where)
    if any(n in logs.encode() for n in needles):
        hits.append("logs")
    return hits
