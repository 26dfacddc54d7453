"""The traceability table (PIA measure → controls → features → tests) is generated and current."""

from pathlib import Path

from policies.catalog import CONTROLS
from policies.pia import MEASURE_IDS, MEASURES
from policies.traceability import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "traceability.md"


def test_the_committed_table_is_current() -> None:
    assert DOC.read_text() == render(), "regenerate: .venv/bin/python -m policies.traceability > docs/traceability.md"


def test_every_control_cites_known_pia_measures() -> None:
    assert [(c.id, p) for c in CONTROLS for p in c.pia if p not in MEASURE_IDS] == []


def test_every_control_has_a_post_deployment_check_or_says_why_not() -> None:
    assert [c.id for c in CONTROLS if not (c.post_check or c.no_post_check_reason)] == []


def test_organisational_measures_say_why_they_are_out_of_scope() -> None:
    assert [m.id for m in MEASURES if m.kind == "O" and not m.out_of_scope_reason] == []
