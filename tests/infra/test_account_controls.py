"""The account-level services, monitoring gaps, least privilege, backups and quotas of issue 17, each asked the
way AWS would answer (the request evaluator, the engine's dependencies), each with a negative twin."""

from __future__ import annotations

import json
from typing import Any

import pytest

from functions.registry import batch_jobs
from infra.account_controls import CONFIG_ROLE_POLICY, config_rules
from infra.arns import bucket_arn
from infra.preflight import check_concurrency
from infra.settings import CAPABILITIES, StackConfigError
from policies.access import Request, decide, grants
from shared.storage import STORAGE
from tests.infra.conftest import Declared, run_with

ACCOUNT = "123456789012"
VPCE = "network-dynamodb-id"  # the mocks' id of the DynamoDB gateway endpoint


def _doc(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else value


def test_every_capability_is_created_or_declared(dev: Declared, prod: Declared) -> None:
    """dev creates every capability; prod declares what its organisation runs, and creates nothing of it."""
    assert dev.stack.account.provisions and set(dev.stack.account.provisions.values()) == {"stack"}
    assert prod.stack.account.provisions["guardduty"] == "organisation"
    assert prod.stack.account.provisions["config"] == "organisation"
    assert not prod.of("guardduty/detector:Detector") and not prod.of("cfg/recorder:Recorder")
    assert prod.of("macie2/account:Account") and prod.of("route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup")
    for resource_type in ("guardduty/detector:Detector", "cfg/recorder:Recorder", "securityhub/account:Account",
                          "accessanalyzer/analyzer:Analyzer", "macie2/account:Account",
                          "s3/accountPublicAccessBlock:AccountPublicAccessBlock",
                          "ebs/encryptionByDefault:EncryptionByDefault",
                          "route53/resolverQueryLogConfig:ResolverQueryLogConfig",
                          "route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation"):
        assert dev.of(resource_type), resource_type


def test_a_declared_capability_is_not_created() -> None:
    """The twin: once declared organisation-provided, the stack creates none of it."""
    declared = run_with("dev", **{"choju:organisationProvides": ["macie", "dns-firewall", "config"]})
    assert not declared.of("macie2/account:Account") and not declared.of("cfg/rule:Rule")
    assert not declared.of("route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup")
    assert declared.stack.account.provisions["macie"] == "organisation"


def test_guardduty_in_both_regions_with_every_feature(dev: Declared) -> None:
    detectors = dev.of("guardduty/detector:Detector")
    assert len(detectors) == 2 and len({"osaka" in (d.provider or "") for d in detectors}) == 2  # Tokyo, Osaka
    assert len(dev.of("guardduty/detectorFeature:DetectorFeature")) == 8


def test_an_existing_detector_is_adopted_not_duplicated() -> None:
    """GuardDuty allows one detector per region: the account's existing one is configured, not recreated."""
    existing = "0123456789abcdef0123456789abcdef"
    adopted = run_with("dev", **{"choju:guardDutyDetectorIds": {"ap-northeast-1": existing}})
    assert len(adopted.of("guardduty/detector:Detector")) == 1  # Osaka only
    assert {f.inputs["detectorId"] for f in adopted.of("guardduty/detectorFeature:DetectorFeature")
            if "osaka" not in (f.provider or "")} == {existing}


def test_buckets_that_receive_files_are_scanned_and_the_scan_can_read_them(dev: Declared) -> None:
    plans = dev.of("guardduty/malwareProtectionPlan:MalwareProtectionPlan")
    scanned = {p.inputs["protectedResource"]["s3Bucket"]["bucketName"] for p in plans}
    assert scanned == {b.physical_name("choju-dev") for b in STORAGE.buckets if b.receives_files} != set()
    role = "arn:aws:iam::123456789012:role/choju-dev-malware-scan"
    policy = _doc(dev.one("iam/rolePolicy:RolePolicy", "account-malware-scan").inputs["policy"])
    documents = bucket_arn("choju-dev-documents")
    assert grants([policy], Request("s3:GetObject", f"{documents}/a.pdf", role), resource_policy=False)
    assert grants([policy], Request("s3:PutObjectTagging", f"{documents}/a.pdf", role), resource_policy=False)
    assert not grants([policy], Request("s3:GetObject", f"{bucket_arn('choju-dev-audit')}/d.json", role),
                      resource_policy=False)
    # ...and the endpoint-only bucket policy exempts the scanner, but not an ordinary role.
    bucket_policy = _doc(dev.one("s3/bucketPolicy:BucketPolicy", "storage-documents-policy").inputs["policy"])
    outside = {"aws:SourceVpce": "vpce-elsewhere"}
    assert decide([bucket_policy], Request("s3:GetObject", f"{documents}/a.pdf", role, outside)) != "deny"
    other = "arn:aws:iam::123456789012:role/someone"
    assert decide([bucket_policy], Request("s3:GetObject", f"{documents}/a.pdf", other, outside)) == "deny"


def test_a_scanned_bucket_keeps_eventbridge_notifications(dev: Declared) -> None:
    """GuardDuty's plan turns on EventBridge delivery; the stack's notification resource owns the whole
    configuration, so it must keep it on or every update would stop the scans."""
    for notification in dev.of("s3/bucketNotification:BucketNotification"):
        bucket = next(b for b in STORAGE.buckets if notification.inputs["bucket"] == f"storage-{b.name}-id")
        assert notification.inputs.get("eventbridge") is (True if bucket.receives_files else None)


def test_config_records_everything_with_the_rules_the_controls_map_to(dev: Declared) -> None:
    rules = {r.inputs["source"]["sourceIdentifier"] for r in dev.of("cfg/rule:Rule")}
    assert rules == set(config_rules()) and "S3_BUCKET_SSL_REQUESTS_ONLY" in rules
    api_rule = next(r for r in dev.of("cfg/rule:Rule") if r.inputs["source"]["sourceIdentifier"] ==
                    "API_GW_ENDPOINT_TYPE_CHECK")
    assert _doc(api_rule.inputs["inputParameters"]) == {"endpointConfigurationTypes": "PRIVATE"}
    recorder = dev.one("cfg/recorder:Recorder")
    assert recorder.inputs["recordingGroup"]["allSupported"] is True
    status = dev.one("cfg/recorderStatus:RecorderStatus")
    assert status.depends_on(dev.one("cfg/deliveryChannel:DeliveryChannel"))
    attachments = dev.of("iam/rolePolicyAttachment:RolePolicyAttachment")
    assert any(a.inputs["policyArn"] == CONFIG_ROLE_POLICY for a in attachments)
    assert all(rule.depends_on(status) for rule in dev.of("cfg/rule:Rule"))


def test_dns_answers_aws_service_names_only(dev: Declared) -> None:
    lists = {d.inputs["name"]: d.inputs["domains"] for d in dev.of(
        "route53/resolverFirewallDomainList:ResolverFirewallDomainList")}
    assert lists["choju-dev-allowed"] == ["amazonaws.com.", "*.amazonaws.com."]
    assert lists["choju-dev-everything"] == ["*"]
    rules = {r.inputs["action"]: r.inputs for r in dev.of("route53/resolverFirewallRule:ResolverFirewallRule")}
    assert rules["ALLOW"]["priority"] < rules["BLOCK"]["priority"] and rules["BLOCK"]["blockResponse"] == "NXDOMAIN"
    assert dev.one("route53/resolverFirewallConfig:ResolverFirewallConfig").inputs["firewallFailOpen"] == "DISABLED"
    query_logs = dev.one("route53/resolverQueryLogConfig:ResolverQueryLogConfig")
    assert "dns-queries" in query_logs.inputs["destinationArn"]


def test_the_dns_allow_list_takes_the_citys_zones() -> None:
    declared = run_with("dev", **{"choju:dnsAllowedDomains": ["city.example.lg.jp"]})
    allowed = next(d for d in declared.of("route53/resolverFirewallDomainList:ResolverFirewallDomainList")
                   if d.inputs["name"].endswith("-allowed"))
    assert "city.example.lg.jp." in allowed.inputs["domains"]


def test_no_regional_rule_waits_for_global_service_events(stack: Declared) -> None:
    """IAM's events reach EventBridge only in us-east-1: a Tokyo rule on them never fires. IAM changes are
    alarmed from the trail's log group instead (where the stack owns the trail)."""
    for rule in stack.of("cloudwatch/eventRule:EventRule"):
        pattern = _doc(rule.inputs.get("eventPattern") or "{}")
        assert "iam.amazonaws.com" not in json.dumps(pattern), rule.name
    if stack.stack.settings.creates("cis-alarms"):
        filters = {f.name: f.inputs["pattern"] for f in stack.of("cloudwatch/logMetricFilter:LogMetricFilter")}
        assert "PutRolePermissionsBoundary" in filters["monitoring-iam-policy-changes"]
        assert "choju-dev-break-glass" in filters["monitoring-break-glass-use"]


def test_organisation_cis_alarms_are_declared_not_missing(prod: Declared) -> None:
    """prod has no trail of its own, so no CIS alarms of its own: it declares the organisation raises them. (The
    alarms on dead-letter queues watch the stack's own queues, not the trail.)"""
    assert not [a for a in prod.of("cloudwatch/metricAlarm:MetricAlarm") if a.inputs["namespace"] != "AWS/SQS"]
    assert "cis-alarms" in prod.stack.monitoring.provided_by_organisation


def test_the_trail_records_dynamodb_data_events_on_personal_tables(dev: Declared) -> None:
    selectors = dev.one("cloudtrail/trail:Trail").inputs["advancedEventSelectors"]
    dynamodb = next(s for s in selectors if "DynamoDB" in s["name"])
    arns = next(f["equals"] for f in dynamodb["fieldSelectors"] if f["field"] == "resources.ARN")
    assert any(a.endswith("table/choju-dev-persons") for a in arns)
    assert not any(a.endswith("table/choju-dev-idempotency") for a in arns)  # operational, no person in it


def test_api_execution_logs_go_to_an_encrypted_group_created_first(stack: Declared) -> None:
    group = next(g for g in stack.of("cloudwatch/logGroup:LogGroup")
                 if str(g.inputs["name"]).startswith("API-Gateway-Execution-Logs_"))
    assert group.inputs["kmsKeyId"] and group.inputs["retentionInDays"] > 0
    assert stack.one("apigateway/methodSettings:MethodSettings").depends_on(group)


def _role_policy(stack: Declared, label: str) -> dict[str, Any]:
    return _doc(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{label}").inputs["policy"])


def test_the_audit_log_keeps_one_policy_with_its_own_rules_and_the_endpoint_guard(stack: Declared) -> None:
    """A table has one resource policy: the audit log's (no deletes, only the sealer updates) also carries the
    endpoint-only guard every table with personal data gets, instead of a second policy replacing it."""
    owners = [p.inputs["resourceArn"] for p in stack.of("dynamodb/resourcePolicy:ResourcePolicy")]
    assert len(owners) == len(set(owners))
    audit = _doc(stack.one("dynamodb/resourcePolicy:ResourcePolicy", "workloads-audit-log-policy").inputs["policy"])
    assert {s["Sid"] for s in audit["Statement"]} >= {"NoOneDeletesAuditEvents", "OnlyTheSealerUpdates",
                                                       "DenyOutsideTheVpcEndpoint"}
    table = next(t.inputs["name"] for t in stack.of("dynamodb/table:Table") if t.inputs["name"].endswith("-audit-log"))
    arn = f"arn:aws:dynamodb:ap-northeast-1:{stack.stack.settings.aws_provider['allowedAccountIds'][0]}:table/{table}"
    writer = arn.split(":table/")[0].replace("dynamodb:ap-northeast-1", "iam:") + ":role/x-intake"
    inside = {"aws:SourceVpce": VPCE}
    assert decide([audit], Request("dynamodb:PutItem", arn, writer, inside)) != "deny"
    assert decide([audit], Request("dynamodb:PutItem", arn, writer)) == "deny"  # outside the endpoint
    assert decide([audit], Request("dynamodb:DeleteItem", arn, writer, inside)) == "deny"


def test_tables_with_personal_data_answer_only_through_the_endpoint(stack: Declared) -> None:
    policies = {p.name: _doc(p.inputs["policy"]) for p in stack.of("dynamodb/resourcePolicy:ResourcePolicy")}
    personal = [t for t in STORAGE.tables if t.data_class.value in ("specific-personal", "personal", "staff", "audit")]
    assert {f"storage-{t.name}-policy" for t in personal if t.name != "audit-log"} | {
        "workloads-audit-log-policy"} == set(policies)
    assert "storage-idempotency-policy" not in policies


def test_the_table_policy_denies_outside_the_endpoint_but_not_the_deployer_or_backup(dev: Declared) -> None:
    table = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/choju-dev-persons"
    backup = "arn:aws:iam::123456789012:role/choju-dev-backup"
    policy = _doc(dev.one("dynamodb/resourcePolicy:ResourcePolicy", "storage-persons-policy").inputs["policy"])
    role = "arn:aws:iam::123456789012:role/choju-dev-intake"
    assert decide([policy], Request("dynamodb:GetItem", table, role, {"aws:SourceVpce": VPCE})) != "deny"
    assert decide([policy], Request("dynamodb:GetItem", table, role)) == "deny"  # a leaked credential, outside
    assert decide([policy], Request("dynamodb:ExportTableToPointInTime", table, role)) == "deny"
    assert decide([policy], Request("dynamodb:DescribeTable", table, "arn:aws:iam::123456789012:role/deployer")) \
        != "deny"  # refresh
    assert decide([policy], Request("dynamodb:Scan", table, backup)) != "deny"


def test_backups_are_locked_include_the_buckets_and_copy_to_osaka(stack: Declared) -> None:
    locks = stack.of("backup/vaultLockConfiguration:VaultLockConfiguration")
    assert len(locks) == 2 and all(lock.inputs["minRetentionDays"] <= 35 for lock in locks)
    compliance = stack.stack.settings.backup_vault_lock == "compliance"
    assert all((lock.inputs.get("changeableForDays") is not None) is compliance for lock in locks)
    selection = stack.one("backup/selection:Selection")
    resources = [str(r) for r in selection.inputs["resources"]]
    assert any(r.startswith("arn:aws:s3:::") and r.endswith("-documents") for r in resources)
    assert sum(":table/" in r for r in resources) == len(STORAGE.tables)
    settings = stack.of("backup/regionSettings:RegionSettings")
    assert len(settings) == 2 and all(s.inputs["resourceTypeManagementPreference"]["DynamoDB"] for s in settings)
    role = stack.one("iam/role:Role", "replication-backup")
    assert role.inputs["name"].endswith("-backup")  # the name break-glass passes to restores
    assert selection.depends_on(stack.one("iam/rolePolicyAttachment:RolePolicyAttachment",
                                          "replication-backup-s3-backup"))


def test_per_function_concurrency(prod: Declared) -> None:
    functions = {f.inputs["name"]: f.inputs["reservedConcurrentExecutions"]
                 for f in prod.of("lambda/function:Function")}
    assert functions["choju-prod-intake"] == 50 and functions["choju-prod-platform"] == 20
    # Otherwise the stack's 50, or what a batch job declares (1: it runs alone; 2, 5: small jobs that keep prod
    # inside its account quota)
    declared = {job.concurrency for job in batch_jobs() if job.concurrency is not None}
    assert declared and set(functions.values()) <= {50, 20} | declared


def test_the_quota_check_stops_a_reservation_lambda_would_refuse() -> None:
    assert check_concurrency({"a": 450, "b": 450}, 1000)
    with pytest.raises(StackConfigError, match="keeps 100 unreserved"):
        check_concurrency({"a": 450, "b": 451}, 1000)
    with pytest.raises(StackConfigError, match="quota is 10"):
        check_concurrency({"a": 5}, 10)  # a new account's reduced quota


def test_the_quota_check_runs_in_the_program() -> None:
    with pytest.raises(Exception, match="keeps 100 unreserved"):
        run_with("prod", **{"choju:lambdaConcurrencyQuota": 200})


def test_a_concurrency_for_no_function_is_refused() -> None:
    with pytest.raises(Exception, match="names no function"):
        run_with("dev", **{"choju:functionConcurrency": {"intkae": 5}})


def test_the_capabilities_are_documented() -> None:
    from infra.mocks import ROOT

    operators = (ROOT / "docs" / "operators.md").read_text()
    missing = [c for c in CAPABILITIES if f"`{c}`" not in operators]
    assert not missing, missing
