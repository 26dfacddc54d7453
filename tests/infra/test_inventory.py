"""The documented resource inventory is what the program declares (docs/infra-inventory.md)."""

from pathlib import Path

from infra.inventory import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "infra-inventory.md"


def test_the_committed_inventory_is_current() -> None:
    assert DOC.read_text() == render(), "regenerate: .venv/bin/python -m infra.inventory > docs/infra-inventory.md"
