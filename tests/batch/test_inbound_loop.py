"""The inbound-file loop the 住基, 広域連合 and collection triggers share (shared/batch/inbound.py)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.batch.inbound import import_each
from shared.domain.errors import Invalid


def _importer(calls: list[str]) -> Any:
    def import_one(key: str) -> dict[str, Any] | None:
        calls.append(key)
        if key.endswith("bad.csv"):
            raise Invalid("row 3: 異動日 is not a date")
        if key.endswith("old.csv"):
            return None  # applied before
        return {"status": "running", "rows": 2}

    return import_one


def test_a_refused_file_is_listed_with_its_reason_and_the_others_still_run() -> None:
    calls: list[str] = []
    keys = ["inbound/x/bad.csv", "inbound/x/new.csv", "inbound/x/old.csv"]
    results = import_each(keys, _importer(calls), "inbound file")
    assert calls == keys  # the refusal did not stop the loop
    assert results == [
        {"key": "inbound/x/bad.csv", "status": "refused", "reason": "row 3: 異動日 is not a date"},
        {"key": "inbound/x/new.csv", "status": "running", "rows": 2},
    ]  # the file applied before is left out


def test_a_fault_that_is_no_refusal_fails_the_invocation() -> None:
    """Twin: only a DomainError is a refusal; anything else raises, so S3 or the schedule tries again instead of
    the file being reported as refused and forgotten."""
    def broken(key: str) -> dict[str, Any]:
        raise ConnectionError("the local AWS went away")

    with pytest.raises(ConnectionError):
        import_each(["inbound/x/new.csv"], broken, "inbound file")
