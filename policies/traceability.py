"""PIA measure → controls, application features and tests, generated into docs/traceability.md.

`python -m policies.traceability > docs/traceability.md`; a test fails when the committed file is stale."""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

from policies.catalog import CONTROLS
from policies.pia import MEASURES

ROOT = Path(__file__).resolve().parents[1]
PIA_ID = re.compile(r"PIA-(?:I|II|III|IV)-\d+(?:-[a-z])?")

# Where the application (not the infrastructure) implements a measure.
APP_FEATURES: dict[str, tuple[str, ...]] = {
    "PIA-I-1-a": ("counter notifications through maker-checker (functions/intake/routes/notifications.py)",
                  "資格確認書 issuance records (functions/intake/services/certificates.py)"),
    "PIA-I-1-b": ("住基異動 import (functions/intake/services/resident_import.py)",
                  "reaching-75 job (functions/intake/services/reaching_75.py)"),
    "PIA-I-1-f": ("療養費 applications and documents (functions/intake/routes/ryoyohi.py)",),
    "PIA-II-2-a": ("persons and households (shared/domain/person.py)",),
    "PIA-II-2-b": ("別添1 mapping as data (shared/domain/data/betten1_items.json)",),
    "PIA-II-3-b": ("突合 of each 賦課 result with the calculator (functions/assessment/rules/reconciliation.py)",),
    "PIA-II-5-a": ("transfer queue for the 広域連合 (shared/adapters/transfer_queue.py)",
                   "scheduled transfer jobs to the 広域連合 (functions/transfer/rules/jobs.py)"),
    "PIA-II-5-b": ("yearly transfer to the 市民税課, without 個人番号 (functions/transfer/rules/jobs.py)",),
    "PIA-III-5-a": ("データ使用承認, maker-checker, checked on every run (functions/transfer/rules/approvals.py)",
                    "transfer ledger (shared/adapters/transfer_ledger.py; GET /transfer/ledger)"),
    "PIA-III-2-h": ("outbound files expire with the exchange retention (functions/transfer/services/runs.py)",),
    "PIA-II-6-a": ("region guard on settings and clients (shared/config.py, shared/adapters/aws.py)",),
    "PIA-III-2-a": ("lists and searches without My Number (shared/protection/views.py)",),
    "PIA-III-2-b": ("export filter allow-list (functions/transfer/rules/export_policy.py)",),
    "PIA-III-2-c": ("My Number reads audited with purpose",
                    "periodic self-inspection (functions/platform/rules/inspection.py)"),
    "PIA-III-2-d": ("registered counterparties (shared/domain/counterparties.py)",
                    "fixed layouts (functions/intake/rules/resident_changes.py)"),
    "PIA-III-2-e": ("single-person view returns the number with name, birth date, address",),
    "PIA-III-2-f": ("request models refuse unknown fields",),
    "PIA-III-2-i": ("only registered counterparties' files are accepted",),
    "PIA-III-2-j": ("identity documents recorded on every notification",),
    "PIA-III-2-k": ("proxy My Number checked against the register (functions/intake/services/notifications.py)",),
    "PIA-III-2-l": ("maker-checker change requests (shared/protection/changes.py)",),
    "PIA-III-7-e": ("retention rules as data with sources (functions/deletion/rules/retention.py)",
                    "plan, maker-checker approval, legal holds, resumable runs (functions/deletion/services/)",
                    ("erasure of every table item, S3 version and delete marker, Tokyo and Osaka "
                    "(shared/adapters/erasure.py)"),
                    "廃棄証明書 under Object Lock with digest (functions/deletion/rules/certificate.py)"),
    "PIA-III-3-a": ("views filtered by permission and purpose",),
    "PIA-III-3-b": ("(counterparty, purpose) → fields allow-list",),
    "PIA-III-3-c": ("personal staff accounts, shared accounts refused (shared/domain/staff.py)",),
    "PIA-III-3-d": ("mynumber:read/search/write permissions (shared/domain/roles.py)",),
    "PIA-III-3-e": ("server-side idle log-off (shared/api/auth.py)",),
    "PIA-III-3-f": ("sign-in, sign-out and refusals audited",),
    "PIA-III-8": ("hash-chained audit log, `choju audit-log verify`, Object-Lock digests",
                  "self-inspection report (`choju audit-log inspect`, GET /audit/inspection)"),
    "PIA-III-7-a": ("incident runbook (docs/runbook.md)",),
    "PIA-IV-1": ("disclosure documents, corrections and suspensions (functions/intake/services/subject_requests.py)",),
    "PIA-IV-2": ("inquiry receipts and responses",),
}


def tests_by_measure() -> dict[str, list[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        source = path.read_text("utf-8")
        tree = ast.parse(source)
        relative = path.relative_to(ROOT).as_posix()
        for measure in set(PIA_ID.findall(ast.get_docstring(tree) or "")):
            found[measure].add(relative)  # the module's docstring names it: every test there serves it
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                text = " ".join(filter(None, [ast.get_docstring(node), ast.get_source_segment(source, node)]))
                for measure in set(PIA_ID.findall(text)):
                    found[measure].add(f"{relative}::{node.name}")
    return {k: sorted(v) for k, v in found.items()}


def render() -> str:
    tests = tests_by_measure()
    lines = ["# Traceability: PIA measure → controls → application features → tests", "",
             "Generated by `python -m policies.traceability` from the control catalog (`policies/catalog.py`) and the",
             "tests that name a measure; `tests/policies/test_traceability.py` fails when this file is stale.", ""]
    for measure in MEASURES:
        controls = [c.id for c in CONTROLS if measure.id in c.pia]
        features = list(APP_FEATURES.get(measure.id,
                                         ())) + [f for c in CONTROLS if measure.id in c.pia for f in c.features]
        lines.append(f"## {measure.id} ({measure.kind}) — {measure.title}")
        if measure.out_of_scope_reason:
            lines.append(f"- outside the software: {measure.out_of_scope_reason}")
        lines.append(f"- controls: {', '.join(f'`{c}`' for c in controls) or '—'}")
        lines.append(f"- application: {'; '.join(dict.fromkeys(features)) or '—'}")
        named = tests.get(measure.id, [])
        more = f", … and {len(named) - 8} more" if len(named) > 8 else ""
        listed = ", ".join(f"`{t}`" for t in named[:8]) + more if named else "—"
        lines.append(f"- tests ({len(named)}): {listed}")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render())
