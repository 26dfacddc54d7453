"""What `pulumi up` creates, asserted on the resource inputs of both example stacks (Pulumi mocks)."""

from __future__ import annotations

import json
import re

import pytest

from functions.registry import WORKFLOWS as DECLARED
from functions.registry import workflow as declared_workflow
from infra.settings import StackConfigError
from shared.storage import PITR_RECOVERY_DAYS, STORAGE
from tests.infra.conftest import Declared, run_with

# --- stack configuration: Japan only (PIA-II-6-a) ---------------------------------------------------------


@pytest.mark.parametrize("region", ["us-east-1", "ap-northeast-3", "ap-southeast-1"])
def test_a_primary_region_outside_tokyo_is_refused(region: str) -> None:
    with pytest.raises(StackConfigError, match="aws:region"):
        run_with("dev", **{"aws:region": region})


def test_a_replica_region_outside_osaka_is_refused() -> None:
    with pytest.raises(StackConfigError, match="replicaRegion"):
        run_with("dev", **{"choju:replicaRegion": "us-west-2"})


def test_zones_outside_tokyo_are_refused() -> None:
    with pytest.raises(StackConfigError, match="availabilityZones"):
        run_with("dev", **{"choju:availabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"]})


def test_the_only_explicit_provider_is_osaka(stack: Declared) -> None:
    providers = stack.of("providers:aws")
    assert [p.inputs["region"] for p in providers] == ["ap-northeast-3"]
    osaka_urn_part = "replication-osaka"
    in_osaka = [r.name for r in stack.resources if r.provider and osaka_urn_part in r.provider]
    assert sorted(in_osaka) == sorted(n for n in in_osaka if "osaka" in n or "ap-northeast-3" in n) and in_osaka


# --- network (closed) -------------------------------------------------------------------------------------

FORBIDDEN_NETWORK = ("ec2/internetGateway:InternetGateway", "ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
                     "ec2/natGateway:NatGateway", "ec2/eip:Eip")


def test_no_internet_path_exists(stack: Declared) -> None:
    """PIA-III-7-d (閉域ネットワーク): no gateway to the internet, no public IPs, no default route."""
    assert not [r for r in stack.resources if r.type.split(":", 1)[1] in FORBIDDEN_NETWORK]
    assert all(s.inputs.get("mapPublicIpOnLaunch") is False for s in stack.of("ec2/subnet:Subnet"))
    for table in stack.of("ec2/routeTable:RouteTable"):
        assert table.inputs.get("routes", []) == []
    for route in stack.of("ec2/route:Route"):
        assert route.inputs.get("destinationCidrBlock") not in ("0.0.0.0/0", None)
        assert "gatewayId" not in route.inputs


def test_three_isolated_subnets_in_three_tokyo_zones(stack: Declared) -> None:
    subnets = stack.of("ec2/subnet:Subnet")
    assert sorted(s.inputs["availabilityZone"] for s in subnets) == ["ap-northeast-1a", "ap-northeast-1c",
                                                                     "ap-northeast-1d"]


def test_the_default_security_group_is_closed(stack: Declared) -> None:
    default = stack.one("ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default.inputs.get("ingress", []) == [] and default.inputs.get("egress", []) == []


def test_endpoints_cover_every_api_the_functions_call(stack: Declared) -> None:
    endpoints = {r.inputs["serviceName"].rsplit(".", 1)[1]: r for r in stack.of("ec2/vpcEndpoint:VpcEndpoint")}
    assert {"s3", "dynamodb"} <= set(endpoints)
    assert all(endpoints[s].inputs["vpcEndpointType"] == "Gateway" for s in ("s3", "dynamodb"))
    interface = {"execute-api", "kms", "logs", "sts", "sqs", "monitoring", "xray", "ssm"}
    assert interface <= set(endpoints)
    for service in interface:
        assert endpoints[service].inputs["privateDnsEnabled"] is True
    for service in ("s3", "dynamodb", "kms", "sqs"):
        policy = json.loads(endpoints[service].inputs["policy"])
        account = stack.one("kms/key:Key", "keys-data").inputs["policy"].split("arn:aws:iam::")[1][:12]
        assert policy["Statement"][0]["Condition"] == {"StringEquals": {"aws:ResourceAccount": account}}


def test_endpoints_accept_https_only_from_the_workload(stack: Declared) -> None:
    """The functions' endpoints; the API endpoint and the resolver admit the city (tests/infra/test_reachability)."""
    rules = [r for r in stack.of("vpc/securityGroupIngressRule:SecurityGroupIngressRule")
             if r.inputs["securityGroupId"] == "network-endpoints-id"]
    assert len(rules) == 1
    rule = rules[0].inputs
    assert (rule["fromPort"], rule["toPort"], rule["ipProtocol"]) == (443, 443, "tcp")
    assert rule["referencedSecurityGroupId"] == "network-workload-id" and "cidrIpv4" not in rule


def test_flow_logs_capture_all_traffic_to_an_encrypted_group(stack: Declared) -> None:
    flow = stack.one("ec2/flowLog:FlowLog").inputs
    assert flow["trafficType"] == "ALL" and flow["logDestinationType"] == "cloud-watch-logs"
    group = stack.one("logGroup:LogGroup", "network-flow-logs").inputs
    assert group["kmsKeyId"].endswith("keys-logs") and group["retentionInDays"] > 0


def test_city_connectivity_is_off_by_default_and_never_a_default_route(dev: Declared, prod: Declared) -> None:
    assert not dev.of("ec2transitgateway/vpcAttachment:VpcAttachment")
    assert [r.inputs["destinationCidrBlock"] for r in prod.of("ec2/route:Route")] == ["172.16.0.0/16"]
    with pytest.raises(StackConfigError, match="default route"):
        run_with("prod", **{"choju:cityNetwork": {"kind": "transit-gateway", "transitGatewayId": "tgw-1",
                                                   "cidrs": ["0.0.0.0/0"]}})


# --- keys -------------------------------------------------------------------------------------------------

def test_three_customer_keys_with_rotation_and_aliases(stack: Declared) -> None:
    keys = {r.name: r.inputs for r in stack.of("kms/key:Key")}
    assert {"keys-data", "keys-mynumber", "keys-logs", "replication-osaka-key"} == set(keys)
    assert all(k["enableKeyRotation"] is True for k in keys.values())
    aliases = sorted(r.inputs["name"] for r in stack.of("kms/alias:Alias"))
    prefix = "choju-dev" if "alias/choju-dev-data" in aliases else "choju-prod"
    assert f"alias/{prefix}-mynumber" in aliases


def test_key_policies_have_no_unconditioned_star_principal(stack: Declared) -> None:
    for key in stack.of("kms/key:Key"):
        for statement in stack.policy(key)["Statement"]:
            if statement["Effect"] == "Deny":
                continue  # a Deny to everyone narrows; only grants must name their principals
            if statement["Principal"] in ("*", {"AWS": "*"}):
                # Only for a principal that cannot be named yet (Macie's service-linked role), and only that one
                # principal of this account.
                equals = statement["Condition"]["StringEquals"]
                assert set(equals) == {"aws:PrincipalArn", "kms:CallerAccount"}, (key.name, statement["Sid"])
                continue
            if "Service" in statement["Principal"]:
                assert statement.get("Condition"), (key.name, statement["Sid"])


def test_only_my_number_workflows_may_use_the_my_number_key(stack: Declared) -> None:
    policy = stack.policy(stack.one("kms/key:Key", "keys-mynumber"))
    use = next(s for s in policy["Statement"] if s["Sid"] == "UseByMyNumberWorkflowsOnly")
    roles = sorted(arn.rsplit("/", 1)[1].split("-", 2)[2] for arn in use["Condition"]["ArnLike"]["aws:PrincipalArn"])
    # Each batch job and each chunk worker has a role of its own (IAM role names are unique per account).
    # deletion: the sweep's worker alone — the keyed digests of erased ids unwrap the index secret under this key (it
    # never decrypts a number); the API function plans and reports and takes no digest
    # intake: the API (counter), the 住基 import (seals numbers); not the 資格確認書 runs — the renewal and reaching-75
    # never seal, read or index a number (their recorded calls: tests/infra/test_roles_cover_calls.py)
    assert roles == ["deletion-deletion-sweep-worker", "intake",
                     "intake-resident-changes-inbound", "intake-resident-changes-inbound-worker", "transfer",
                     "transfer-kouiki-collection-daily", "transfer-kouiki-collection-daily-worker",
                     "transfer-kouiki-daily", "transfer-kouiki-daily-worker", "transfer-kouiki-income-monthly",
                     "transfer-kouiki-income-monthly-worker", "transfer-kouiki-ryoyohi-monthly",
                     "transfer-kouiki-ryoyohi-monthly-worker", "transfer-shiminzei-annual",
                     "transfer-shiminzei-annual-worker"]
    assert not any("kms:Decrypt" in s["Action"] for s in policy["Statement"] if s["Sid"] == "KeyAdministration")
    # the 広域連合's 被保険者情報 carries no My Number: its trigger and worker are not on the list, nor hold the index
    assert not any("kouiki-results" in r for r in roles)
    assert not any("reaching-75" in r or "certificate-renewal" in r for r in roles)


def test_the_kouiki_results_job_reads_its_files_and_persons_without_the_my_number_key(stack: Declared) -> None:
    """Asked as IAM answers it (policies/access.py): the 被保険者情報 job lists and reads only the 広域連合's inbound
    prefix and writes persons, discrepancies and change cards, with the data key and never the My Number key or the
    index secret; twin: the intake API role, which takes My Numbers at the counter, still has both."""
    from policies.access import Request, grants, key_request

    prefix = stack.stack.settings.name_prefix

    def document(label: str) -> dict:
        return stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{label}"))

    def allowed(label: str, request: Request) -> bool:
        return grants([document(label)], request, resource_policy=False)

    intake = document("intake")
    persons = next(str(r) for s in intake["Statement"] if s["Sid"] == "WriteTables" for r in s["Resource"]
                   if str(r).endswith("-persons"))
    account = persons.split(":")[4]
    key = f"arn:aws:kms:ap-northeast-1:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    exchange = f"arn:aws:s3:::{prefix}-exchange"
    for label in ("intake-kouiki-results-inbound", "intake-kouiki-results-inbound-worker"):
        role = f"arn:aws:iam::{account}:role/{prefix}-{label}"
        assert not allowed(label, key_request("kms:Decrypt", key, role, [f"alias/{prefix}-mynumber"])), label
        assert allowed(label, key_request("kms:Decrypt", key, role, [f"alias/{prefix}-data"])), label
        assert not any("parameter" in str(r) and "mynumber" in str(r) for s in document(label)["Statement"]
                       for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])), label
        assert allowed(label, Request("s3:GetObject", f"{exchange}/inbound/kouiki-rengo/hihokensha-1.dat", role))
        assert not allowed(label, Request("s3:GetObject", f"{exchange}/inbound/juki/1.csv", role)), label
        assert allowed(label, Request("dynamodb:GetItem", persons, role)), label
    trigger = f"arn:aws:iam::{account}:role/{prefix}-intake-kouiki-results-inbound"
    assert allowed("intake-kouiki-results-inbound", Request("s3:ListBucket", exchange, trigger,
                                                            {"s3:prefix": "inbound/kouiki-rengo/"}))
    assert not allowed("intake-kouiki-results-inbound", Request("s3:ListBucket", exchange, trigger,
                                                                {"s3:prefix": "inbound/"}))
    assert not allowed("intake-kouiki-results-inbound", Request("dynamodb:PutItem", persons, trigger))  # plans only
    worker = f"arn:aws:iam::{account}:role/{prefix}-intake-kouiki-results-inbound-worker"
    assert allowed("intake-kouiki-results-inbound-worker", Request("dynamodb:PutItem", persons, worker))
    # twin: the counter's intake role takes My Numbers and keeps the key
    api = f"arn:aws:iam::{account}:role/{prefix}-intake"
    assert allowed("intake", key_request("kms:Decrypt", key, api, [f"alias/{prefix}-mynumber"]))


def test_the_certificate_runs_use_the_data_key_but_neither_the_my_number_key_nor_the_index_secret(
        stack: Declared) -> None:
    """The renewal and reaching-75 (trigger and worker) print cards from records without ever sealing, reading or
    indexing a number (tests/infra/test_roles_cover_calls.py records their calls); twin: the 住基 import's worker,
    which seals the numbers the register sends, keeps both."""
    from policies.access import grants, key_request

    prefix = stack.stack.settings.name_prefix

    def document(label: str) -> dict:
        return stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{label}"))

    account = document("intake")["Statement"][0]["Resource"][0].split(":")[4]
    key = f"arn:aws:kms:ap-northeast-1:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    def decrypts(label: str, alias: str) -> bool:
        role = f"arn:aws:iam::{account}:role/{prefix}-{label}"
        return grants([document(label)], key_request("kms:Decrypt", key, role, [f"alias/{prefix}-{alias}"]),
                      resource_policy=False)

    def reads_index_secret(label: str) -> bool:
        return any("mynumber-index-key" in str(r) for s in document(label)["Statement"]
                   for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]))

    for label in ("intake-certificate-renewal", "intake-certificate-renewal-worker", "intake-reaching-75-daily",
                  "intake-reaching-75-daily-worker"):
        assert decrypts(label, "data") and not decrypts(label, "mynumber"), label
        assert not reads_index_secret(label), label
    assert decrypts("intake-resident-changes-inbound-worker", "mynumber")
    assert reads_index_secret("intake-resident-changes-inbound-worker")



def test_the_certificate_runs_touch_only_their_tables_and_objects(stack: Declared) -> None:
    """Asked as IAM answers it: the card runs write persons, events, cards and their job, and no other table of
    intake's (subject requests, 療養費, idempotency…); they read and write their print and report prefixes, not the
    exchange bucket's inbound files nor the disclosures. Twin: the intake API role keeps what the card runs lost."""
    from policies.access import Request, grants

    prefix = stack.stack.settings.name_prefix

    def document(label: str) -> dict:
        return stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{label}"))

    account = document("intake")["Statement"][0]["Resource"][0].split(":")[4]
    exchange, documents = f"arn:aws:s3:::{prefix}-exchange", f"arn:aws:s3:::{prefix}-documents"

    def allowed(label: str, action: str, resource: str) -> bool:
        role = f"arn:aws:iam::{account}:role/{prefix}-{label}"
        return grants([document(label)], Request(action, resource, role), resource_policy=False)

    def table(name: str) -> str:
        return f"arn:aws:dynamodb:ap-northeast-1:{account}:table/{prefix}-{name}"

    for label in ("intake-certificate-renewal", "intake-certificate-renewal-worker", "intake-reaching-75-daily",
                  "intake-reaching-75-daily-worker"):
        for name in ("persons", "transfer-queue", "certificates", "batch-jobs"):
            assert allowed(label, "dynamodb:BatchWriteItem", table(name)), (label, name)
        for name in ("subject-requests", "ryoyohi-applications", "idempotency", "change-requests", "notifications",
                     "audit-log"):
            assert not allowed(label, "dynamodb:Query", table(name)), (label, name)
        assert allowed(label, "s3:PutObject", f"{documents}/notices/certificate/renewal-2027/0001-0000.pdf"), label
        assert allowed(label, "s3:GetObject", f"{exchange}/reports/certificate-renewal/J1/0001-withheld.json"), label
        assert not allowed(label, "s3:GetObject", f"{exchange}/inbound/juki/1.csv"), label
        assert not allowed(label, "s3:PutObject", f"{documents}/disclosures/SR1.pdf"), label
    assert allowed("intake", "dynamodb:PutItem", table("subject-requests"))
    assert allowed("intake", "dynamodb:Query", table("audit-log"))
    assert allowed("intake", "s3:GetObject", f"{exchange}/inbound/juki/1.csv")
    assert allowed("intake", "s3:PutObject", f"{documents}/disclosures/SR1.pdf")


# --- storage ----------------------------------------------------------------------------------------------

def test_every_declared_table_is_encrypted_recoverable_and_protected(stack: Declared) -> None:
    tables = {r.inputs["name"].split("-", 2)[2]: r.inputs for r in stack.of("dynamodb/table:Table")}
    assert set(tables) == {t.name for t in STORAGE.tables}
    for spec in STORAGE.tables:
        table = tables[spec.name]
        assert table["serverSideEncryption"] == {"enabled": True,
                                                 "kmsKeyArn": table["serverSideEncryption"]["kmsKeyArn"]}
        assert table["serverSideEncryption"]["kmsKeyArn"].endswith("keys-data")
        assert table["pointInTimeRecovery"] == {"enabled": True, "recoveryPeriodInDays": PITR_RECOVERY_DAYS}
        assert table["deletionProtectionEnabled"] is True
        assert table["tags"]["data-classification"] == spec.data_class.value
        if spec.ttl_attribute:
            assert table["ttl"] == {"attributeName": spec.ttl_attribute, "enabled": True}
        assert sorted(i["name"] for i in table.get("globalSecondaryIndexes",
                                                   [])) == sorted(i.name for i in spec.indexes)


def _bucket_parts(stack: Declared, resource: str) -> dict[str, dict]:
    return {suffix: stack.named(f"{resource}-{suffix}").inputs
            for suffix in ("pab", "sse", "versioning", "ownership")}


def test_every_declared_bucket_is_locked_down(stack: Declared) -> None:
    for spec in STORAGE.buckets:
        resource = f"storage-{spec.name}"
        parts = _bucket_parts(stack, resource)
        assert all(parts["pab"][k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                                     "restrictPublicBuckets"))
        rule = parts["sse"]["rules"][0]
        assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
        assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].endswith("keys-data")
        assert rule["bucketKeyEnabled"] is True
        assert parts["versioning"]["versioningConfiguration"] == {"status": "Enabled"}
        assert parts["ownership"]["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
        policy = stack.policy(stack.named(f"{resource}-policy"))["Statement"]
        tls = next(s for s in policy if s["Sid"] == "DenyInsecureTransport")
        assert tls["Effect"] == "Deny" and tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        vpce = next(s for s in policy if s["Sid"] == "DenyOutsideTheVpcEndpoint")
        assert vpce["Condition"]["StringNotEquals"] == {"aws:SourceVpce": ["network-s3-id"]}
        assert {"s3:GetObject*", "s3:PutObject*", "s3:ListBucketVersions"} <= set(vpce["Action"])  # the data itself
        exempt = vpce["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]
        assert {arn.rsplit("/", 1)[1].rsplit("-", 1)[-1] for arn in exempt} == {
            "glass", "replication", "backup", "scan", "AWSServiceRoleForAmazonMacie"}  # the service readers
        assert stack.named(f"{resource}-logging").inputs["targetBucket"] == "storage-access-logs-id"
        assert stack.named(f"{resource}-lifecycle").inputs["rules"][0]["status"] == "Enabled"


def test_the_audit_bucket_has_compliance_object_lock(dev: Declared, prod: Declared) -> None:
    for stack, days in ((dev, 30), (prod, 2555)):
        assert stack.one("s3/bucket:Bucket", "storage-audit").inputs["objectLockEnabled"] is True
        lock = stack.named("storage-audit-object-lock").inputs
        assert lock["rule"]["defaultRetention"] == {"mode": "COMPLIANCE", "days": days}


def test_data_stores_are_retained_on_destroy() -> None:
    """`pulumi destroy` must not delete personal data: tables and buckets carry retainOnDelete."""
    import inspect

    from infra import storage

    assert storage.KEEP == {"retain_on_delete": True}
    assert "**KEEP" in inspect.getsource(storage.Storage._table)
    assert "**KEEP" in inspect.getsource(storage.Storage._bucket)


def test_replicas_and_backups_only_in_osaka(stack: Declared) -> None:
    """PIA-II-6-b: a second copy in Japan, and nowhere else."""
    configs = stack.of("s3/bucketReplicationConfig:BucketReplicationConfig")
    assert sorted(c.name for c in configs) == ["replication-audit-osaka-config", "replication-documents-osaka-config"]
    for config in configs:
        destination = config.inputs["rules"][0]["destination"]
        assert destination["encryptionConfiguration"]["replicaKmsKeyId"].endswith("replication-osaka-key")
    replicas = [r for r in stack.of("s3/bucket:Bucket") if r.inputs.get("tags", {}).get("choju:replica-of")]
    assert replicas and all("replication-osaka" in (r.provider or "") for r in replicas)
    plan = stack.one("backup/plan:Plan").inputs["rules"][0]
    assert plan["copyActions"][0]["destinationVaultArn"].startswith("arn:aws:backup:ap-northeast-3:")
    assert "replication-osaka" in (stack.one("backup/vault:Vault", "replication-vault-osaka").provider or "")
    assert len(stack.one("backup/selection:Selection").inputs["resources"]) == len(STORAGE.tables) + len(
        [b for b in STORAGE.buckets if b.replicate_to_secondary])


# --- monitoring -------------------------------------------------------------------------------------------

def test_cloudtrail_is_multi_region_validated_encrypted_with_data_events(dev: Declared) -> None:
    trail = dev.one("cloudtrail/trail:Trail").inputs
    assert trail["isMultiRegionTrail"] is True and trail["enableLogFileValidation"] is True
    assert trail["kmsKeyId"].endswith("keys-logs") and trail["cloudWatchLogsGroupArn"].endswith(":*")
    selectors = {s["name"]: s for s in trail["advancedEventSelectors"]}
    s3 = selectors["S3 data events on buckets with personal data"]["fieldSelectors"]
    arns = next(f["startsWiths"] for f in s3 if f["field"] == "resources.ARN")
    assert sorted(a.split(":::")[1] for a in arns) == ["choju-dev-audit/", "choju-dev-documents/",
                                                       "choju-dev-exchange/"]
    assert "Lambda invocations" in selectors


def test_organisation_provided_monitoring_is_recorded_when_switched_off(dev: Declared, prod: Declared) -> None:
    assert not prod.of("cloudtrail/trail:Trail") and not prod.of("guardduty/detector:Detector")
    assert prod.stack.monitoring.provided_by_organisation == ["cis-alarms", "cloudtrail", "config", "guardduty",
                                                              "securityhub"]
    assert dev.stack.monitoring.provided_by_organisation == []


def test_guardduty_has_its_protection_features(dev: Declared) -> None:
    features = {r.inputs["name"]: r.inputs["status"] for r in dev.of("guardduty/detectorFeature:DetectorFeature")}
    assert features == dict.fromkeys(("S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING",
                                      "EBS_MALWARE_PROTECTION"), "ENABLED")


def test_findings_and_tampering_reach_an_encrypted_topic(stack: Declared) -> None:
    topic = stack.one("sns/topic:Topic").inputs
    assert topic["kmsMasterKeyId"].endswith("keys-data")
    rules = {r.name: json.loads(r.inputs["eventPattern"]) for r in stack.of("cloudwatch/eventRule:EventRule")
             if "eventPattern" in r.inputs}
    assert rules["monitoring-guardduty-findings"]["detail"]["severity"] == [{"numeric": [">=", 4]}]
    assert {"StopLogging", "DeleteTrail",
            "UpdateTrail"} <= set(rules["monitoring-tampering-cloudtrail"]["detail"]["eventName"])
    assert {"DisableKey", "ScheduleKeyDeletion"} <= set(rules["monitoring-tampering-kms"]["detail"]["eventName"])
    assert rules["monitoring-tampering-ec2"]
    assert "monitoring-tampering-iam" not in rules  # IAM events reach EventBridge in us-east-1 only


def test_cis_metric_alarms(dev: Declared) -> None:
    alarms = sorted(r.inputs["metricName"] for r in dev.of("cloudwatch/metricAlarm:MetricAlarm")
                    if r.inputs["namespace"] != "AWS/SQS")  # dead-letter alarms: tests/infra/test_batch_queues.py
    assert alarms == ["choju-break-glass-use",
                      "choju-console-signin-failures", "choju-iam-policy-changes", "choju-root-account-usage",
                      "choju-unauthorized-api-calls"]


# --- workloads and API ------------------------------------------------------------------------------------

WORKFLOWS = [w.name for w in DECLARED]


def _needs(workflow: str):
    return declared_workflow(workflow).role_needs

def test_one_function_per_workflow_hardened(stack: Declared) -> None:
    functions = {r.inputs["name"].split("-", 2)[2]: r.inputs for r in stack.of("lambda/function:Function")}
    assert set(WORKFLOWS) <= set(functions)
    for fn in functions.values():
        assert fn["vpcConfig"]["subnetIds"] and fn["vpcConfig"]["securityGroupIds"] == ["network-workload-id"]
        assert fn["tracingConfig"] == {"mode": "Active"} and fn["reservedConcurrentExecutions"] > 0
        assert fn["deadLetterConfig"]["targetArn"].startswith("arn:aws:sqs:ap-northeast-1:")
        assert fn["kmsKeyArn"].endswith("keys-data") and fn["runtime"] == "python3.11"
    queues = stack.of("sqs/queue:Queue")
    assert queues and all(q.inputs["kmsMasterKeyId"].endswith("keys-data") for q in queues)
    groups = [g.inputs for g in stack.of("cloudwatch/logGroup:LogGroup") if g.inputs["name"].startswith("/aws/lambda/")]
    assert len(groups) == len(functions) and all(g["kmsKeyId"].endswith("keys-logs") for g in groups)


def test_batch_triggers_come_from_the_batch_declarations(stack: Declared) -> None:
    from functions.registry import batch_jobs

    BATCHES = batch_jobs()  # noqa: N806
    notification = stack.one("s3/bucketNotification:BucketNotification").inputs
    assert notification["lambdaFunctions"][0]["filterPrefix"] == "inbound/"
    schedules = {r.inputs["name"].split("-", 2)[2]: r.inputs["scheduleExpression"]
                 for r in stack.of("cloudwatch/eventRule:EventRule") if "scheduleExpression" in r.inputs}
    assert schedules == {b.name: b.trigger.expression for b in BATCHES if hasattr(b.trigger, "expression")}


def _role_statements(stack: Declared, workflow: str) -> list[dict]:
    return stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{workflow}"))["Statement"]


def _writes(stack: Declared, label: str) -> set[str]:
    """The tables a function's role may write, by logical name (the mocks' ARNs end in the resource name)."""
    statement = next(s for s in _role_statements(stack, label) if s["Sid"] == "WriteTables")
    names = (r.rsplit(":", 1)[1].removeprefix("table/") for r in statement["Resource"] if "/index/" not in r)
    return {re.sub(r"^(storage-|choju-[a-z0-9]+-)", "", name) for name in names}


def test_only_the_platform_function_may_write_the_staff_registry(stack: Declared) -> None:
    """Issue 9: staff administration left the intake function; no workflow's role can write the staff table."""
    assert "staff" in _writes(stack, "platform")
    for label in [w for w in WORKFLOWS if w != "platform"]:
        assert "staff" not in _writes(stack, label), label
    assert "persons" not in _writes(stack, "platform")


def test_roles_are_least_privilege(stack: Declared) -> None:
    """No `*` action anywhere; `*` resources only for ENI and X-Ray actions, which have no resource ARNs."""
    for workflow in WORKFLOWS:
        for statement in _role_statements(stack, workflow):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert not any(a == "*" or a.endswith(":*") for a in actions)
            if statement["Resource"] == "*":
                assert all(a.startswith(("ec2:", "xray:")) for a in actions), statement


def test_only_my_number_workflows_get_the_my_number_key(stack: Declared) -> None:
    """Asked as IAM would answer it (policies/access.py): a role's policy grants use of a key by its alias
    (kms:ResourceAliases), so a workflow's role may decrypt with the My Number key exactly when it declares it."""
    from policies.access import ALLOW, decide, key_request

    prefix = stack.stack.settings.name_prefix
    key = "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    for workflow in WORKFLOWS:
        document = stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{workflow}"))
        account = document["Statement"][0]["Resource"][0].split(":")[4] if isinstance(
            document["Statement"][0]["Resource"], list) else "123456789012"
        on = key.replace("123456789012", account)
        role = f"arn:aws:iam::{account}:role/{prefix}-{workflow}"
        for name in ("mynumber", "data"):
            request = key_request("kms:Decrypt", on, role, [f"alias/{prefix}-{name}"])
            allowed = decide([document], request, resource_policy=False) == ALLOW
            assert allowed == (name in _needs(workflow).keys), (workflow, name)
        # A key without the alias (or another account's key under the same alias name) is never covered.
        assert decide([document], key_request("kms:Decrypt", on, role, []), resource_policy=False) != ALLOW
        elsewhere = on.replace(account, "999999999999")
        assert decide([document], key_request("kms:Decrypt", elsewhere, role, [f"alias/{prefix}-data"]),
                      resource_policy=False) != ALLOW
    assert sorted(w for w in WORKFLOWS if "mynumber" in _needs(w).keys) == ["intake", "transfer"]


def test_every_role_has_the_japan_only_boundary(stack: Declared) -> None:
    boundary = stack.policy(stack.one("iam/policy:Policy"))
    deny = next(s for s in boundary["Statement"] if s["Effect"] == "Deny")
    assert deny["Condition"] == {"StringNotEquals": {"aws:RequestedRegion": ["ap-northeast-1", "ap-northeast-3"]}}
    lambda_roles = [r for r in stack.of("iam/role:Role") if "lambda.amazonaws.com" in r.inputs["assumeRolePolicy"]]
    assert lambda_roles and all(r.inputs["permissionsBoundary"].endswith("region-boundary") for r in lambda_roles)


def test_the_api_is_private_and_bound_to_the_endpoint(stack: Declared) -> None:
    api = stack.one("apigateway/restApi:RestApi").inputs
    assert api["endpointConfiguration"] == {"types": "PRIVATE", "vpcEndpointIds": ["network-execute-api-id"]}
    statements = json.loads(api["policy"])["Statement"]
    allow = next(s for s in statements if s["Effect"] == "Allow")
    deny = next(s for s in statements if s["Effect"] == "Deny")
    assert allow["Condition"] == {"StringEquals": {"aws:SourceVpce": "network-execute-api-id"}}
    assert deny["Condition"] == {"StringNotEquals": {"aws:SourceVpce": "network-execute-api-id"}}
    paths = sorted(r.inputs["pathPart"] for r in stack.of("apigateway/resource:Resource")
                   if r.inputs["pathPart"] != "{proxy+}")
    assert paths == sorted([*WORKFLOWS, "auth", "audit", "staff"])
    routes = {r.name.removeprefix("api-").removesuffix("-lambda"): r.inputs["uri"]
              for r in stack.of("apigateway/integration:Integration")}
    assert {p for p, uri in routes.items() if "workloads-platform" in uri} == {"platform", "auth", "audit", "staff"}


def test_the_stage_logs_traces_and_throttles(stack: Declared) -> None:
    stage = stack.one("apigateway/stage:Stage").inputs
    assert stage["xrayTracingEnabled"] is True
    assert json.loads(stage["accessLogSettings"]["format"])["requestId"] == "$context.requestId"
    settings = stack.one("apigateway/methodSettings:MethodSettings").inputs["settings"]
    assert settings["loggingLevel"] == "INFO" and settings["dataTraceEnabled"] is False
    assert settings["throttlingRateLimit"] > 0 and settings["throttlingBurstLimit"] > 0


def test_no_function_url_and_no_public_invoke_permission(stack: Declared) -> None:
    assert not stack.of("lambda/functionUrl:FunctionUrl")
    for permission in stack.of("lambda/permission:Permission"):
        assert permission.inputs["principal"] in ("apigateway.amazonaws.com", "events.amazonaws.com",
                                                  "s3.amazonaws.com")
        assert permission.inputs["sourceArn"]


def test_the_region_scp_is_written_for_the_administrator() -> None:
    from infra.documents import region_scp

    statement = region_scp()["Statement"][0]
    assert statement["Effect"] == "Deny" and "iam:*" in statement["NotAction"]
    assert statement["Condition"]["StringNotEquals"]["aws:RequestedRegion"] == ["ap-northeast-1", "ap-northeast-3"]
