"""Who may do what to the audit log, as the Pulumi program grants it (issue 10; design rule 7; PIA-III-2-c, III-3-f,
III-8): every function appends only, the sealer alone updates and only the seal, nothing deletes."""

from __future__ import annotations

from functions.registry import WORKFLOWS
from tests.infra.conftest import Declared

TABLE_ARN = "arn:aws:dynamodb:ap-northeast-1:{account}:table/{prefix}-audit-log"
APPEND_CONDITION = {
    "ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["????-??-??#?"]},
    "ForAllValues:StringEquals": {"dynamodb:Attributes": [
        "action", "at", "chain", "day_shard", "detail", "event_id", "outcome", "pending", "purpose", "request_id",
        "seq", "staff_id", "target"]},
    "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"},
}
SEAL_ATTRIBUTES = ["batch", "chain", "day_shard", "event_id", "hash", "head_hash", "head_seq", "pending",
                   "prev_hash", "sealed_at", "seq", "target"]
FUNCTIONS = [*(w.name for w in WORKFLOWS), "intake-resident-changes-inbound", "intake-reaching-75-daily",
             "intake-certificate-renewal"]


def prefix(stack: Declared) -> str:
    return stack.stack.workloads.settings.name_prefix


def account(stack: Declared) -> str:
    """The account the mocks deploy into: the stack's aws:allowedAccountIds."""
    return str(stack.stack.settings.aws_provider["allowedAccountIds"][0])


def statements(stack: Declared, label: str) -> list[dict]:
    return stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{label}"))["Statement"]


def on_audit_table(statement: dict, table: str) -> bool:
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    return any(r == table or r.startswith(table + "/") for r in resources)


def test_every_function_may_only_put_new_events(stack: Declared) -> None:
    table = TABLE_ARN.format(account=account(stack), prefix=prefix(stack))
    for label in FUNCTIONS:
        audit = [s for s in statements(stack, label) if on_audit_table(s, table)]
        append = next(s for s in audit if s["Sid"] == "AppendAuditEvents")
        assert (append["Action"], append["Resource"], append["Condition"]) == (["dynamodb:PutItem"], table,
                                                                               APPEND_CONDITION), label
        writes = {a for s in audit for a in s["Action"] if a not in ("dynamodb:PutItem", "dynamodb:GetItem",
                                                                     "dynamodb:Query")}
        assert writes == set(), label


def test_only_auditors_routes_and_disclosures_read_the_log_and_never_by_scan(stack: Declared) -> None:
    table = TABLE_ARN.format(account=account(stack), prefix=prefix(stack))
    readers = {label for label in FUNCTIONS for s in statements(stack, label)
               if on_audit_table(s, table) and "dynamodb:Query" in s["Action"]}
    # the 住基 job shares intake's declared needs (disclosures read a person's access history); the card runs
    # (renewal, reaching-75) declare their own, without the log
    assert readers == {"platform", "intake", "intake-resident-changes-inbound"}
    assert not [s for label in FUNCTIONS for s in statements(stack, label)
                if on_audit_table(s, table) and "dynamodb:Scan" in s["Action"]]


def test_the_sealer_alone_updates_and_only_the_seal(stack: Declared) -> None:
    table = TABLE_ARN.format(account=account(stack), prefix=prefix(stack))
    sealer = statements(stack, "platform-audit-sealer")
    assert sorted(s["Sid"] for s in sealer) == ["AnchorAuditDigests", "DeadLetters", "Logs",
                                                "NetworkInterfacesAndTracing", "ReadAuditLog", "SealAuditEvents",
                                                "UseKeys"]
    seal = next(s for s in sealer if s["Sid"] == "SealAuditEvents")
    assert (seal["Action"], seal["Resource"]) == (["dynamodb:UpdateItem"], table)
    assert seal["Condition"] == {
        "ForAllValues:StringEquals": {"dynamodb:Attributes": SEAL_ATTRIBUTES},
        "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}}
    anchor = next(s for s in sealer if s["Sid"] == "AnchorAuditDigests")
    assert anchor["Action"] == ["s3:PutObject", "s3:PutObjectRetention"]
    assert anchor["Resource"].endswith("-audit/digests/*")


def test_the_sealer_runs_alone_every_minute(stack: Declared) -> None:
    fn = next(f.inputs for f in stack.of("lambda/function:Function") if f.inputs["name"].endswith("-audit-sealer"))
    assert fn["reservedConcurrentExecutions"] == 1
    assert fn["handler"] == "functions.platform.batch.seal_audit_log"
    rule = next(r.inputs for r in stack.of("cloudwatch/eventRule:EventRule") if r.inputs["name"].endswith(
        "-audit-sealer"))
    assert rule["scheduleExpression"] == "rate(1 minute)"


def test_the_table_itself_denies_deletes_to_all_and_updates_to_all_but_the_sealer(stack: Declared) -> None:
    table = TABLE_ARN.format(account=account(stack), prefix=prefix(stack))
    policy = stack.one("dynamodb/resourcePolicy:ResourcePolicy", "workloads-audit-log-policy")
    assert policy.inputs["resourceArn"] == table
    # Its own two statements, then the endpoint-only guard every table with personal data carries (infra/storage.py).
    deny_delete, deny_update, guard = stack.policy(policy)["Statement"]
    assert guard["Sid"] == "DenyOutsideTheVpcEndpoint"
    assert (deny_delete["Effect"], deny_delete["Principal"], deny_delete["Action"]) == (
        "Deny", "*", ["dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLDelete",
                      "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate"])
    assert "Condition" not in deny_delete
    assert (deny_update["Effect"], deny_update["Action"]) == ("Deny", ["dynamodb:UpdateItem"])
    sealer_role = f"arn:aws:iam::{account(stack)}:role/{prefix(stack)}-platform-audit-sealer"
    assert deny_update["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": sealer_role}}
