"""Which service applies which kind of inbound file, and how a file in the exchange bucket says its kind.

Files arrive under `inbound/<counterparty>/` (registered counterparties, `shared/domain/counterparties.py`):
`shitei-kinyu/payments-*` (窓口収納) and `shitei-kinyu/debit-results-*` (口座振替 results), `cvs-agent/*`
(コンビニ 速報・確報), `kokuhoren/Z11*` (特別徴収対象者) and `kokuhoren/Z14*` (特別徴収結果).
"""

from __future__ import annotations

from collections.abc import Callable

from functions.collection.services.debits import import_debit_results
from functions.collection.services.inbound import FileRun
from functions.collection.services.payments import import_payments
from functions.collection.services.pension import import_pension_results, import_pension_targets
from shared.runtime import Runtime

__all__ = ["COLLECTION_COUNTERPARTIES", "IMPORTERS", "apply_file", "kind_of"]

IMPORTERS: dict[str, Callable[..., FileRun]] = {
    "payments": import_payments, "debit-results": import_debit_results,
    "pension-targets": import_pension_targets, "pension-results": import_pension_results,
}
COLLECTION_COUNTERPARTIES = ("shitei-kinyu", "cvs-agent", "kokuhoren")


def kind_of(key: str) -> tuple[str, str] | None:
    """(counterparty, kind) of an exchange-bucket key, or None when it is not a collection file."""
    parts = key.split("/")
    if len(parts) != 3 or parts[0] != "inbound" or parts[1] not in COLLECTION_COUNTERPARTIES:
        return None
    counterparty, name = parts[1], parts[2]
    if counterparty == "cvs-agent":
        return counterparty, "payments"
    if counterparty == "kokuhoren":
        return (counterparty, "pension-targets") if name.startswith("Z11") else \
            (counterparty, "pension-results") if name.startswith("Z14") else None
    return (counterparty, "debit-results") if name.startswith("debit-results") else \
        (counterparty, "payments") if name.startswith("payments") else None


def apply_file(rt: Runtime, counterparty: str, kind: str, content: bytes, staff_id: str) -> FileRun:
    return IMPORTERS[kind](rt, counterparty, content, staff_id=staff_id)
