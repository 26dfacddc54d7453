"""Counter terminals retry: an Idempotency-Key makes a repeated submission return the first result.

powertools' idempotency utility, persisted in the declared `idempotency` table (TTL attribute `expiration`)
through the one client factory. The key is scoped to the staff member; the same key with a different body is
refused instead of silently answered with the first result.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from shared.domain.errors import Conflict, Invalid

RETRY_WINDOW_SECONDS = 24 * 3600


class IdempotencyKeyReused(Invalid):
    """The key was used before with a different request body."""

    code = "idempotency-key-reused"
    title = "Idempotency-Key reused"


class IdempotentRequestInProgress(Conflict):
    """The first request with this key is still being processed."""

    code = "idempotency-in-progress"
    title = "Request in progress"


def persistence_layer(client: Any, table: str) -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(table_name=table, key_attr="id", boto3_client=client)


def fingerprint(keyed_digest: Callable[[str, bytes], str], payload: dict[str, Any]) -> str:
    """What the idempotency record keeps of a request body: a keyed digest of its canonical JSON.

    powertools stores a plain SHA-256 of what it validates; a body with a My Number and six known digits would
    then be recovered by trying the rest (0.12 s). Validating a keyed digest instead keeps "same key, other body"
    refused while the stored value says nothing without the key (issue 18, design rule 5)."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return keyed_digest("idempotency-fingerprint", canonical)


def once(store: DynamoDBPersistenceLayer, scope: str, key: str, payload_fingerprint: str,
         work: Callable[[], dict[str, Any]], lambda_context: Any = None) -> dict[str, Any]:
    """Run `work` once per (scope, key); later calls with the same body (same fingerprint) get the stored result.

    In Lambda the context lets an in-progress record expire with the invocation's timeout; outside Lambda
    (local mode) there is none, and the record simply expires with the retry window."""
    config = IdempotencyConfig(event_key_jmespath="key", payload_validation_jmespath="payload",
                               expires_after_seconds=RETRY_WINDOW_SECONDS, hash_function="sha256",
                               lambda_context=lambda_context)

    @idempotent_function(data_keyword_argument="request", persistence_store=store, config=config, key_prefix=scope)
    def run(request: dict[str, Any]) -> dict[str, Any]:
        return work()

    try:
        with warnings.catch_warnings():
            if lambda_context is None:
                warnings.filterwarnings("ignore", message="Couldn't determine the remaining time left")
            return run(request={"key": key, "payload": payload_fingerprint})  # type: ignore[no-any-return]
    except IdempotencyValidationError:
        raise IdempotencyKeyReused(f"Idempotency-Key {key!r} was used for a different request") from None
    except IdempotencyAlreadyInProgressError:
        raise IdempotentRequestInProgress(f"a request with Idempotency-Key {key!r} is in progress") from None
