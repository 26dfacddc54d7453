"""The deletion workflow, declared (data only): retention rules, erasure and 廃棄証明書 (issue 16)."""

from __future__ import annotations

from shared.workflow import Needs, Workflow

__all__ = ["WORKFLOW"]

WORKFLOW = Workflow(
    name="deletion",
    summary="retention rules, erasure and 廃棄証明書 (issue 16)",
    needs=Needs(tables_write=("persons",), buckets_write=("documents/",)),
    api_prefixes=("deletion",),
)
