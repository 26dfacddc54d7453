"""The transfer tests run on a fixed day: 2026-04-01 18:00 JST."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


@pytest.fixture(autouse=True)
def _fixed_day(clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
