"""One Lambda function per workflow and per batch job, in the closed VPC, each with a role of its own generated
from what its workflow declares it needs (functions/<workflow>/workflow.py, through functions/registry.py),
under a Japan-only permission boundary; batch jobs with the triggers they declare."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from functions.registry import WORKFLOWS
from infra import audit_log
from infra.documents import assume_role, json_output, region_boundary
from infra.log_groups import encrypted_log_group
from infra.settings import StackSettings
from shared.storage import STORAGE
from shared.workflow import BatchJob, BucketEvent, Needs, Schedule, Workflow

API_TIMEOUT_SECONDS = 30  # API Gateway gives up after 29 s
AUDIT_TABLE, AUDIT_BUCKET = "audit-log", "audit"
BATCH_TIMEOUT_SECONDS = 900


@dataclass(frozen=True)
class DeployedFunction:
    """One Lambda function: its workflow's API, or one of its batch jobs. `label` names the function and its
    role (`<prefix>-<label>`), so every physical name is unique."""

    workflow: Workflow
    label: str
    handler: str  # Lambda's "module.attribute"
    job: BatchJob | None = None

    @property
    def needs(self) -> Needs:
        """What its role is granted: the job's own needs if it declares them, else its workflow's."""
        return self.job.needs if self.job is not None and self.job.needs is not None else self.workflow.role_needs


def deployed_functions() -> list[DeployedFunction]:
    functions = []
    for workflow in WORKFLOWS:
        functions.append(DeployedFunction(workflow, workflow.name, workflow.handler))
        for job in workflow.batches:
            module, attribute = job.handler.split(":")
            functions.append(DeployedFunction(workflow, f"{workflow.name}-{job.name}", f"{module}.{attribute}", job))
    return functions

TABLE_READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
              "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"]
TABLE_WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
KEY_USE = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
# ENI management for VPC functions and X-Ray segments take no resource-level permissions (AWS documentation).
NON_DATA_WILDCARD = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
                     "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "xray:PutTraceSegments",
                     "xray:PutTelemetryRecords"]


def role_policy(needs: Needs, settings: StackSettings, account_id: Any, tables: dict[str, Any],
                buckets: dict[str, Any], keys: dict[str, Any], dlq_arn: Any, log_group_arn: Any) -> dict[str, Any]:
    def table_resources(names: tuple[str, ...]) -> list[Any]:
        return [r for n in names for r in (tables[n], pulumi.Output.concat(tables[n], "/index/*"))]

    def object_resources(entries: tuple[str, ...]) -> list[Any]:
        out = []
        for entry in entries:
            bucket, _, prefix = entry.partition("/")
            out.append(pulumi.Output.concat(buckets[bucket], "/", prefix, "*"))
        return out

    parameter_arns = [pulumi.Output.concat("arn:aws:ssm:", settings.region, ":", account_id, ":parameter",
                                           STORAGE.parameter(p).physical_name(settings.name_prefix))
                      for p in needs.parameters]
    # The audit log is never granted like a table: every role may only append to it, the sealer only seal it.
    plain = tuple(t for t in dict.fromkeys(needs.all_tables_read + needs.all_tables_write) if t != AUDIT_TABLE)
    written = tuple(t for t in needs.all_tables_write if t != AUDIT_TABLE)
    statements: list[dict[str, Any]] = [
        *([{"Sid": "ReadTables", "Effect": "Allow", "Action": TABLE_READ, "Resource": table_resources(plain)}]
          if plain else []),
        *([{"Sid": "WriteTables", "Effect": "Allow", "Action": TABLE_WRITE, "Resource": table_resources(written)}]
          if written else []),
        *audit_statements(needs, tables[AUDIT_TABLE], buckets[AUDIT_BUCKET]),
        {"Sid": "UseKeys", "Effect": "Allow", "Action": KEY_USE, "Resource": [keys[k] for k in needs.keys]},
        {"Sid": "DeadLetters", "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": dlq_arn},
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": pulumi.Output.concat(log_group_arn, ":*")},
        {"Sid": "NetworkInterfacesAndTracing", "Effect": "Allow", "Action": NON_DATA_WILDCARD, "Resource": "*"},
    ]
    if needs.buckets_read or needs.buckets_write:
        statements.append({"Sid": "ReadObjects", "Effect": "Allow", "Action": ["s3:GetObject"],
                           "Resource": object_resources(needs.buckets_read + needs.buckets_write)})
    if needs.buckets_write:
        statements.append({"Sid": "WriteObjects", "Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"],
                           "Resource": object_resources(needs.buckets_write)})
        statements.append({"Sid": "ListOwnPrefixes", "Effect": "Allow", "Action": ["s3:ListBucket"],
                           "Resource": [buckets[e.split("/")[0]] for e in dict.fromkeys(
                               needs.buckets_read + needs.buckets_write)]})
    statements += erase_statements(needs, settings, buckets)
    if needs.buckets_append:
        statements.append({"Sid": "PutLockedObjects", "Effect": "Allow",
                           "Action": ["s3:PutObject", "s3:PutObjectRetention", "s3:GetObject"],
                           "Resource": object_resources(needs.buckets_append)})
        statements.append({"Sid": "ListLockedObjects", "Effect": "Allow", "Action": ["s3:ListBucketVersions"],
                           "Resource": [buckets[e.split("/")[0]] for e in dict.fromkeys(needs.buckets_append)]})
    if parameter_arns:
        # PutParameter: the vault creates the sealed secret on first use (never overwriting it).
        statements.append({"Sid": "SealedParameters", "Effect": "Allow",
                           "Action": ["ssm:GetParameter", "ssm:PutParameter"], "Resource": parameter_arns})
    return {"Version": "2012-10-17", "Statement": statements}


ERASE_OBJECTS = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObjectRetention", "s3:GetObjectLegalHold"]


def erase_statements(needs: Needs, settings: StackSettings, buckets: dict[str, Any]) -> list[dict[str, Any]]:
    """Every version under the declared prefixes, in the bucket and its Osaka replica (replication never carries a
    version's deletion); Object Lock is honoured: no s3:BypassGovernanceRetention (PIA-III-7-e)."""
    if not needs.buckets_erase:
        return []
    arns: dict[str, list[Any]] = {}
    for entry in needs.buckets_erase:
        bucket = entry.split("/")[0]
        spec = STORAGE.bucket(bucket)
        arns.setdefault(entry, [buckets[bucket]])
        if spec.replicate_to_secondary:
            arns[entry].append(f"arn:aws:s3:::{spec.replica_name(settings.name_prefix)}")
    objects = [pulumi.Output.concat(arn, "/", entry.partition("/")[2], "*") for entry, found in arns.items()
               for arn in found]
    listed = list(dict.fromkeys(arn for found in arns.values() for arn in found))
    return [{"Sid": "EraseObjectVersions", "Effect": "Allow", "Action": ERASE_OBJECTS, "Resource": objects},
            {"Sid": "ListObjectVersions", "Effect": "Allow",
             "Action": ["s3:ListBucketVersions", "s3:GetBucketObjectLockConfiguration"], "Resource": listed}]


def eraser_labels() -> list[str]:
    """The functions that erase object versions: the replicas' policies let them delete (and no one else)."""
    return [d.label for d in deployed_functions() if d.needs.buckets_erase]


def audit_statements(needs: Needs, table_arn: Any, bucket_arn: Any) -> list[dict[str, Any]]:
    """PIA-III-2-c, III-8: append for every function (and reading where declared), sealing for the sealer."""
    if needs.audit == "seal":
        return audit_log.seal_statements(table_arn, bucket_arn)
    reads = [audit_log.read_statement(table_arn)] if AUDIT_TABLE in needs.tables_read else []
    return [audit_log.append_statement(table_arn), *reads]


class Workloads(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, account_id: Any, *, subnet_ids: list[Any],
                 security_group_id: Any, tables: dict[str, aws.dynamodb.Table], buckets: dict[str, aws.s3.Bucket],
                 keys: dict[str, pulumi.Input[str]], code: Callable[[Workflow], pulumi.Archive],
                 layer: pulumi.Archive, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:workloads:Workloads", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.settings = settings
        self.boundary = aws.iam.Policy(f"{name}-region-boundary", name=f"{settings.name_prefix}-region-boundary",
                                       description="Deny any action outside ap-northeast-1/3 (PIA-II-6-a)",
                                       policy=json_output(region_boundary()),
                                       tags={**settings.tags, "choju:policy-kind": "permission-boundary"}, opts=child)
        self.layer = aws.lambda_.LayerVersion(
            f"{name}-dependencies", layer_name=f"{settings.name_prefix}-dependencies", code=layer,
            compatible_runtimes=["python3.11"], compatible_architectures=[settings.lambda_architecture], opts=child)
        table_arns = {n: t.arn for n, t in tables.items()}
        bucket_arns = {n: b.arn for n, b in buckets.items()}
        archives = {workflow.name: code(workflow) for workflow in WORKFLOWS}
        self.functions: dict[str, aws.lambda_.Function] = {}
        self.batch_functions: dict[str, aws.lambda_.Function] = {}
        self.roles: dict[str, aws.iam.Role] = {}
        for deployed in deployed_functions():
            fn = self._function(name, deployed, account_id, subnet_ids, security_group_id, table_arns, bucket_arns,
                                keys, archives[deployed.workflow.name])
            if deployed.job is None:
                self.functions[deployed.workflow.name] = fn
            else:
                self.batch_functions[deployed.job.name] = fn
                self._trigger(name, deployed.job.name, deployed.job.trigger, fn, buckets, account_id)
        self.audit_log_policy = self._audit_log_policy(name, tables[AUDIT_TABLE])
        self.register_outputs({k: v.name for k, v in self.functions.items()})

    def _audit_log_policy(self, name: str, table: aws.dynamodb.Table) -> aws.dynamodb.ResourcePolicy:
        """The audit table's own policy: no one deletes an event, only the sealer's role updates one."""
        sealers = [d.label for d in deployed_functions() if d.needs.audit == "seal"]
        if len(sealers) != 1:
            raise ValueError(f"exactly one function seals the audit log; the declarations name {sealers}")
        return aws.dynamodb.ResourcePolicy(
            f"{name}-audit-log-policy", resource_arn=table.arn,
            policy=json_output(audit_log.resource_policy(table.arn, self.roles[sealers[0]].arn)),
            opts=pulumi.ResourceOptions(parent=self))

    def _function(self, name: str, deployed: DeployedFunction, account_id: Any, subnet_ids: list[Any],
                  security_group_id: Any, tables: dict[str, Any], buckets: dict[str, Any],
                  keys: dict[str, pulumi.Input[str]], code: pulumi.Archive) -> aws.lambda_.Function:
        settings, label = self.settings, deployed.label
        child = pulumi.ResourceOptions(parent=self)
        function_name = f"{settings.name_prefix}-{label}"
        log_group = encrypted_log_group(f"{name}-{label}", f"/aws/lambda/{function_name}", settings, keys["logs"],
                                        child)
        dlq = aws.sqs.Queue(f"{name}-{label}-dlq", name=f"{function_name}-dlq", kms_master_key_id=keys["data"],
                            kms_data_key_reuse_period_seconds=300, message_retention_seconds=14 * 24 * 3600,
                            tags={**settings.tags, "data-classification": "operational"}, opts=child)
        role = aws.iam.Role(f"{name}-{label}", name=function_name,
                            assume_role_policy=json_output(assume_role("lambda.amazonaws.com", account_id)),
                            permissions_boundary=self.boundary.arn, tags=settings.tags, opts=child)
        self.roles[label] = role
        aws.iam.RolePolicy(f"{name}-{label}", role=role.id, policy=json_output(role_policy(
            deployed.needs, settings, account_id, tables, buckets, keys, dlq.arn, log_group.arn)),
            opts=child)
        return aws.lambda_.Function(
            f"{name}-{label}", name=function_name, runtime="python3.11", handler=deployed.handler, code=code,
            layers=[self.layer.arn], role=role.arn, architectures=[settings.lambda_architecture],
            memory_size=settings.lambda_memory_mb,
            timeout=API_TIMEOUT_SECONDS if deployed.job is None else BATCH_TIMEOUT_SECONDS,
            reserved_concurrent_executions=(deployed.job.concurrency if deployed.job and deployed.job.concurrency
                                            else settings.reserved_concurrency),
            vpc_config={"subnet_ids": subnet_ids, "security_group_ids": [security_group_id]},
            tracing_config={"mode": "Active"}, dead_letter_config={"target_arn": dlq.arn}, kms_key_arn=keys["data"],
            logging_config={"log_format": "JSON", "log_group": log_group.name},
            environment={"variables": {
                "CHOJU_MODE": "aws", "CHOJU_REGION": settings.region, "CHOJU_NAME_PREFIX": settings.name_prefix,
                "CHOJU_JWKS": settings.jwks_url, "CHOJU_TOKEN_ISSUER": settings.token_issuer,
                "CHOJU_TOKEN_AUDIENCE": settings.token_audience, "POWERTOOLS_SERVICE_NAME": "choju",
                "POWERTOOLS_METRICS_NAMESPACE": "choju",
            }},
            tags={**settings.tags, "choju:workflow": deployed.workflow.name},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[log_group]))
    def _trigger(self, name: str, batch: str, trigger: Schedule | BucketEvent, fn: aws.lambda_.Function,
                 buckets: dict[str, aws.s3.Bucket], account_id: Any) -> None:
        child = pulumi.ResourceOptions(parent=self)
        if isinstance(trigger, Schedule):
            rule = aws.cloudwatch.EventRule(f"{name}-{batch}", name=f"{self.settings.name_prefix}-{batch}",
                                            schedule_expression=trigger.expression, description=trigger.description,
                                            tags=self.settings.tags, opts=child)
            aws.cloudwatch.EventTarget(f"{name}-{batch}", rule=rule.name, arn=fn.arn, opts=child)
            aws.lambda_.Permission(f"{name}-{batch}", action="lambda:InvokeFunction", function=fn.name,
                                   principal="events.amazonaws.com", source_arn=rule.arn, opts=child)
            return
        bucket = buckets[trigger.bucket]
        permission = aws.lambda_.Permission(f"{name}-{batch}", action="lambda:InvokeFunction", function=fn.name,
                                            principal="s3.amazonaws.com", source_arn=bucket.arn,
                                            source_account=account_id, opts=child)
        aws.s3.BucketNotification(f"{name}-{batch}", bucket=bucket.id, lambda_functions=[{
            "lambda_function_arn": fn.arn, "events": ["s3:ObjectCreated:*"], "filter_prefix": trigger.prefix}],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]))
