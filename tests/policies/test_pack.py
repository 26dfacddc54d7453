"""The CrossGuard pack: built from the catalog, mandatory, and importing it never starts a server."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pulumi_policy

from policies.catalog import CONTROLS

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_policy_modules_does_not_start_the_pack(monkeypatch) -> None:
    started = []
    monkeypatch.setattr(pulumi_policy, "PolicyPack", lambda *a, **k: started.append(k))
    for module in ("policies.pack", "policies.catalog", "policies.pre_checks", "policies.auditor"):
        sys.modules.pop(module, None)
        __import__(module)
    assert started == []


def test_the_pack_entry_point_declares_every_control_as_mandatory(monkeypatch) -> None:
    captured = {}
    monkeypatch.setattr(pulumi_policy, "PolicyPack", lambda **kwargs: captured.update(kwargs))
    runpy.run_path(str(ROOT / "policies" / "__main__.py"), run_name="__main__")
    assert captured["enforcement_level"] == pulumi_policy.EnforcementLevel.MANDATORY
    assert [p.name for p in captured["policies"]] == [c.id for c in CONTROLS]
    assert (ROOT / "policies" / "PulumiPolicy.yaml").read_text().count("runtime") == 1
