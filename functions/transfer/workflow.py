"""The transfer workflow, declared (data only): outbound files to the 広域連合 and 庁内 through the export filter."""

from __future__ import annotations

from shared.workflow import Needs, Workflow

__all__ = ["WORKFLOW"]

WORKFLOW = Workflow(
    name="transfer",
    summary="outbound files to the 広域連合 and 庁内 through the export filter",
    needs=Needs(tables_read=("persons",), tables_write=("transfer-queue",), buckets_write=("exchange/outbound/",),
                keys=("data", "mynumber"), parameters=("mynumber-index-key",)),
    api_prefixes=("transfer",),
)
