"""The transfer ledger is append-only (issue 15; PIA-III-5-a, III-2-h): it is personal data (it names persons left
out while their use was suspended) kept like the audit trail, so no Lambda role may update or delete an entry —
every role that writes it gets PutItem alone — except the deletion workflow's (its retention sweep). The code
only ever puts new entries (`attribute_not_exists`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from functions.registry import WORKFLOWS
from infra.workloads import deployed_functions
from shared.storage import STORAGE, DataClass
from tests.infra.conftest import Declared

LEDGER = "transfer-ledger"
WRITES = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
          "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"}
ROOT = Path(__file__).resolve().parents[2]


def ledger_writes(document: dict) -> set[str]:
    """Every write action an identity policy allows on the ledger table (or its indexes)."""
    found: set[str] = set()
    for statement in document["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if any(r == "*" or f"-{LEDGER}" in str(r) for r in resources):
            found |= {a for a in actions if a in WRITES or a in ("dynamodb:*", "*")}
    return found


def offences(policies: dict[str, dict]) -> dict[str, set[str]]:
    """Roles (by label) that may do more to the ledger than put new entries; the deletion workflow's may."""
    return {label: writes - {"dynamodb:PutItem"} for label, document in policies.items()
            if not label.startswith("deletion") and (writes := ledger_writes(document)) - {"dynamodb:PutItem"}}


def _role_policies(stack: Declared) -> dict[str, dict]:
    return {d.label: stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{d.label}"))
            for d in deployed_functions()}


def test_the_ledger_is_personal_data_kept_like_the_audit_trail() -> None:
    spec = STORAGE.table(LEDGER)
    assert spec.data_class is DataClass.PERSONAL and spec.retention == "audit"


def test_every_role_that_writes_the_ledger_may_only_put_new_entries(stack: Declared) -> None:
    policies = _role_policies(stack)
    assert offences(policies) == {}
    writers = {label for label, document in policies.items() if ledger_writes(document)}
    # The transfer function, its five triggers and their workers; nothing else writes the ledger.
    assert writers and all(label.startswith("transfer") for label in writers), writers
    assert all(ledger_writes(policies[label]) == {"dynamodb:PutItem"} for label in writers)


@pytest.mark.parametrize("granted", ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
                                     "dynamodb:*"])
def test_negative_twin_a_role_granted_more_than_put_is_caught(granted: str) -> None:
    table = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/choju-dev-transfer-ledger"
    document = {"Version": "2012-10-17", "Statement": [
        {"Sid": "AppendTables", "Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": [table]},
        {"Sid": "Sneaky", "Effect": "Allow", "Action": [granted], "Resource": [table]}]}
    assert offences({"transfer-kouiki-daily-worker": document}) == {"transfer-kouiki-daily-worker": {granted}}
    # …and the same grant to the deletion workflow is its retention sweep's.
    assert offences({"deletion-deletion-sweep": document}) == {}


def test_no_workflow_declares_the_ledger_as_a_plain_writable_table() -> None:
    for workflow in WORKFLOWS:
        if workflow.name != "deletion":
            assert LEDGER not in workflow.role_needs.tables_write, workflow.name


def test_no_code_updates_or_deletes_a_ledger_entry() -> None:
    """The ledger adapter only puts (and only new ids); besides the declarations (storage, the two workflows'
    needs, the deletion locators) no other module names the table."""
    adapter = (ROOT / "shared/adapters/transfer_ledger.py").read_text()
    calls = {node.attr for node in ast.walk(ast.parse(adapter)) if isinstance(node, ast.Attribute)}
    assert "put_item" in calls and not calls & {"update_item", "delete_item", "batch_write_item",
                                                "execute_statement", "transact_write_items"}
    assert "attribute_not_exists(entry_id)" in adapter
    sources = [p for folder in ("functions", "shared") for p in (ROOT / folder).rglob("*.py")]
    naming = [p.relative_to(ROOT).as_posix() for p in sources if f'"{LEDGER}"' in p.read_text()]
    assert sorted(naming) == ["functions/deletion/rules/locators.py", "functions/platform/workflow.py",
                              "functions/transfer/workflow.py", "shared/adapters/transfer_ledger.py",
                              "shared/storage.py"], naming
