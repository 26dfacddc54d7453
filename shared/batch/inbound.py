"""The loop every inbound-file trigger shares (住基異動, the 広域連合's 被保険者情報, the collection files): import
each file, list what became of it, and let one refused file never stop the others.

A refusal (`DomainError`: a file that fails validation, an unknown counterparty) is logged with its reason and
listed as `refused`; anything else is a fault and raises, so the invocation fails and S3 or the schedule tries
again. The reasons are validation messages (row numbers, field names), never a row's content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from shared.domain.errors import DomainError
from shared.observability import get_logger

__all__ = ["import_each"]


def import_each(keys: Iterable[str], import_one: Callable[[str], dict[str, Any] | None],
                what: str) -> list[dict[str, Any]]:
    """`import_one(key)` for every key, in order: its result (`status` and what else it reports) is listed under
    the key, or left out when it returns None (a file applied before). `what` names the files in the log
    (`"inbound file"` → "inbound file refused", "inbound files processed")."""
    results: list[dict[str, Any]] = []
    for key in keys:
        try:
            result = import_one(key)
        except DomainError as refused:
            get_logger().warning(f"{what} refused", extra={"key": key, "reason": refused.detail})
            results.append({"key": key, "status": "refused", "reason": refused.detail})
            continue
        if result is not None:
            results.append({"key": key, **result})
    get_logger().info(f"{what}s processed", extra={"results": results})
    return results
