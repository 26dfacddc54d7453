"""One Lambda function per workflow and per batch job, in the closed VPC, each with a role of its own generated
from what its workflow declares it needs (functions/<workflow>/workflow.py, through functions/registry.py),
under a Japan-only permission boundary; batch jobs with the triggers they declare; chunked jobs with a worker
function fed by the job's queue (an SQS event source mapping that reports partial batch failures). Every
function's own dead-letter queue has an alarm."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from functions.registry import WORKFLOWS
from infra import audit_log
from infra.arns import (
    bucket_arn,
    key_use_statement,
    log_group_arn,
    parameter_arn,
    queue_arn,
    role_arn,
    table_arn,
)
from infra.documents import assume_role, json_output, region_boundary
from infra.identity_keys import parameter_name
from infra.log_groups import encrypted_log_group
from infra.queues import ChunkQueues, dead_letter_alarm
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
    worker: bool = False  # the function that takes the job's chunks from its queue

    @property
    def timeout(self) -> int:
        if self.job is None:
            return API_TIMEOUT_SECONDS
        if self.worker:
            assert self.job.chunks is not None
            return self.job.chunks.timeout_seconds
        return BATCH_TIMEOUT_SECONDS


    @property
    def needs(self) -> Needs:
        """What its role is granted: a worker's own needs if its chunks declare them, else the job's own needs if it
        declares them, else its workflow's."""
        if self.worker and self.job is not None and self.job.chunks is not None and self.job.chunks.needs is not None:
            return self.job.chunks.needs
        return self.job.needs if self.job is not None and self.job.needs is not None else self.workflow.role_needs


def _lambda_handler(target: str) -> str:
    module, attribute = target.split(":")
    return f"{module}.{attribute}"


def deployed_functions() -> list[DeployedFunction]:
    functions = []
    for workflow in WORKFLOWS:
        functions.append(DeployedFunction(workflow, workflow.name, workflow.handler))
        for job in workflow.batches:
            label = f"{workflow.name}-{job.name}"
            functions.append(DeployedFunction(workflow, label, _lambda_handler(job.handler), job))
            if job.chunks is not None:
                functions.append(DeployedFunction(workflow, f"{label}-worker", _lambda_handler(job.chunks.worker),
                                                  job, worker=True))
    return functions

TABLE_READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
              "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"]
TABLE_WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
# An append-only table (the transfer ledger): new items only, never an update or a deletion.
TABLE_APPEND = ["dynamodb:PutItem"]
KEY_USE = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
QUEUE_SEND = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
# What the event source mapping (on the worker's role) and the worker itself do with the job's queue.
QUEUE_WORK = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", *QUEUE_SEND]
# ENI management for VPC functions and X-Ray segments take no resource-level permissions (AWS documentation).
NON_DATA_WILDCARD = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
                     "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "xray:PutTraceSegments",
                     "xray:PutTelemetryRecords"]


def queue_statements(deployed: DeployedFunction, queues: dict[str, Any], dead_letters: dict[str, Any],
                     ) -> list[dict[str, Any]]:
    """A chunked job's trigger may send to its queue; its worker works the queue and sets chunks aside in the
    queue's dead-letter queue."""
    if deployed.job is None:  # an API function that starts jobs by hand: send only, to the queues it names
        named = deployed.needs.queues_send
        return [{"Sid": "StartJobs", "Effect": "Allow", "Action": QUEUE_SEND,
                 "Resource": [queues[q] for q in named]}] if named else []
    if deployed.job.chunks is None:
        return []
    queue = deployed.job.chunks.queue
    if not deployed.worker:
        return [{"Sid": "SendChunks", "Effect": "Allow", "Action": QUEUE_SEND, "Resource": [queues[queue]]}]
    return [{"Sid": "WorkChunks", "Effect": "Allow", "Action": QUEUE_WORK, "Resource": [queues[queue]]},
            {"Sid": "SetChunksAside", "Effect": "Allow", "Action": QUEUE_SEND, "Resource": [dead_letters[queue]]}]


def role_policy(needs: Needs, settings: StackSettings, account_id: Any, tables: dict[str, Any],
                buckets: dict[str, Any], dlq_arn: Any, log_group_arn: Any,
                extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A function's role policy, built only from names the program chooses and the account id, so that it is
    known at the first `pulumi preview` and every IAM control decides on it then: tables, buckets, queues and log
    groups by the ARN their physical name gives (infra/arns.py), keys by alias (`kms:ResourceAliases`)."""
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
    if set(written) & set(needs.tables_append):
        raise ValueError(f"an append-only table is granted full writes: {set(written) & set(needs.tables_append)}")
    statements: list[dict[str, Any]] = [
        *([{"Sid": "ReadTables", "Effect": "Allow", "Action": TABLE_READ, "Resource": table_resources(plain)}]
          if plain else []),
        *([{"Sid": "WriteTables", "Effect": "Allow", "Action": TABLE_WRITE, "Resource": table_resources(written)}]
          if written else []),
        *([{"Sid": "AppendTables", "Effect": "Allow", "Action": TABLE_APPEND,
            "Resource": [tables[n] for n in needs.tables_append]}] if needs.tables_append else []),
        *audit_statements(needs, tables[AUDIT_TABLE], buckets[AUDIT_BUCKET]),
        key_use_statement("UseKeys", KEY_USE, settings.region, account_id,
                          [STORAGE.key(k).alias(settings.name_prefix) for k in needs.keys]),
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
        # Unconditioned on purpose: S3 answers a read of a missing object 404 only to a caller that may list the
        # bucket, and 403 otherwise; ObjectStore.find (a 決定通知書 run's check for its manifest, an ack file named
        # by staff) needs the 404. A grant limited by `s3:prefix` does not count for that check.
        statements.append({"Sid": "ListOwnPrefixes", "Effect": "Allow", "Action": ["s3:ListBucket"],
                           "Resource": [buckets[e.split("/")[0]] for e in dict.fromkeys(
                               needs.buckets_read + needs.buckets_write)]})
    statements += erase_statements(needs, settings, buckets)
    statements += version_listing_statements(needs, settings, buckets)
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
    # IAM refuses a statement without resources (a workflow that writes no table of a kind).
    return {"Version": "2012-10-17", "Statement": [s for s in [*statements, *(extra or [])] if s["Resource"] != []]}


def identity_keys_statement(settings: StackSettings, account_id: Any) -> dict[str, Any]:
    """API functions read the identity provider's public keys (infra/identity_keys.py); batch jobs verify no
    tokens and do not get this."""
    return {"Sid": "IdentityProviderKeys", "Effect": "Allow", "Action": ["ssm:GetParameter"],
            "Resource": parameter_arn(settings.region, account_id, parameter_name(settings))}


def concurrency(settings: StackSettings, deployed: DeployedFunction) -> int:
    """The function's reserved concurrency: `choju:functionConcurrency.<label>`, else what its batch job declares
    (1: runs alone), else `choju:reservedConcurrency`."""
    if deployed.label in settings.function_concurrency:
        return settings.function_concurrency[deployed.label]
    if deployed.job is not None and deployed.job.concurrency:
        return deployed.job.concurrency
    return settings.reserved_concurrency


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


def version_listing_statements(needs: Needs, settings: StackSettings, buckets: dict[str, Any],
                               ) -> list[dict[str, Any]]:
    """List the keys (`buckets_list`) or versions under the declared prefixes only (`s3:prefix`), in the bucket or
    its Osaka replica: keys and dates, no object read and nothing erased (e.g. a deletion plan, PIA-III-7-e)."""
    statements = []
    for sid, entries, replica, action in (("ListPrefixes", needs.buckets_list, False, "s3:ListBucket"),
                                          ("ListVersions", needs.buckets_versions, False, "s3:ListBucketVersions"),
                                          ("ListReplicaVersions", needs.replicas_versions, True,
                                           "s3:ListBucketVersions")):
        by_bucket: dict[str, list[str]] = {}
        for entry in entries:
            bucket, _, prefix = entry.partition("/")
            if replica and not STORAGE.bucket(bucket).replicate_to_secondary:
                raise ValueError(f"{bucket} has no Osaka replica to list ({entry})")
            by_bucket.setdefault(bucket, []).append(f"{prefix}*")
        for bucket, prefixes in by_bucket.items():
            arn = (f"arn:aws:s3:::{STORAGE.bucket(bucket).replica_name(settings.name_prefix)}" if replica
                   else buckets[bucket])
            statements.append({"Sid": f"{sid}{bucket.title().replace('-', '')}", "Effect": "Allow",
                               "Action": [action], "Resource": [arn],
                               "Condition": {"StringLike": {"s3:prefix": prefixes}}})
    return statements


def eraser_labels() -> list[str]:
    """The functions that erase object versions: the replicas' policies let them delete (and no one else)."""
    return [d.label for d in deployed_functions() if d.needs.buckets_erase]


def audit_statements(needs: Needs, table_arn: Any, bucket_arn: Any) -> list[dict[str, Any]]:
    """PIA-III-2-c, III-8: append for every function (and reading where declared), sealing for the sealer."""
    if needs.audit == "seal":
        return audit_log.seal_statements(table_arn, bucket_arn)
    reads = [audit_log.read_statement(table_arn)] if AUDIT_TABLE in needs.tables_read else []
    return [audit_log.append_statement(table_arn), *reads]


def _with_statements(document: dict[str, Any], extra: list[dict[str, Any]]) -> dict[str, Any]:
    return {**document, "Statement": [*document["Statement"], *extra]}


class Workloads(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, account_id: Any, *, subnet_ids: list[Any],
                 security_group_id: Any, tables: dict[str, aws.dynamodb.Table], buckets: dict[str, aws.s3.Bucket],
                 keys: dict[str, pulumi.Input[str]], code: Callable[[Workflow], pulumi.Archive],
                 layer: pulumi.Archive, queues: ChunkQueues, alerts_topic_arn: Any,
                 audit_log_guards: list[dict[str, Any]] | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:workloads:Workloads", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.settings = settings
        self.alerts_topic_arn = alerts_topic_arn
        self.account_id = account_id
        self.queues = queues
        self.boundary = aws.iam.Policy(f"{name}-region-boundary", name=f"{settings.name_prefix}-region-boundary",
                                       description="Deny any action outside ap-northeast-1/3 (PIA-II-6-a)",
                                       policy=json_output(region_boundary()),
                                       tags={**settings.tags, "choju:policy-kind": "permission-boundary"}, opts=child)
        self.layer = aws.lambda_.LayerVersion(
            f"{name}-dependencies", layer_name=f"{settings.name_prefix}-dependencies", code=layer,
            compatible_runtimes=["python3.11"], compatible_architectures=[settings.lambda_architecture], opts=child)
        # ARNs from physical names, not from the created resources: the role policies stay known at preview.
        table_arns = {spec.name: table_arn(settings.region, account_id, spec.physical_name(settings.name_prefix))
                      for spec in STORAGE.tables if spec.name in tables}
        bucket_arns = {spec.name: bucket_arn(spec.physical_name(settings.name_prefix))
                       for spec in STORAGE.buckets if spec.name in buckets}
        self.queue_arns = {spec.name: queue_arn(settings.region, account_id, spec.physical_name(settings.name_prefix))
                           for spec in STORAGE.queues if spec.name in queues.queues}
        self.dead_letter_arns = {spec.name: queue_arn(settings.region, account_id,
                                                      spec.dead_letter_name(settings.name_prefix))
                                 for spec in STORAGE.queues if spec.name in queues.dead_letters}
        archives = {workflow.name: code(workflow) for workflow in WORKFLOWS}
        self.functions: dict[str, aws.lambda_.Function] = {}
        self.batch_functions: dict[str, aws.lambda_.Function] = {}
        self.workers: dict[str, aws.lambda_.Function] = {}
        self.roles: dict[str, aws.iam.Role] = {}
        for deployed in deployed_functions():
            fn = self._function(name, deployed, account_id, subnet_ids, security_group_id, table_arns, bucket_arns,
                                keys, archives[deployed.workflow.name])
            if deployed.job is None:
                self.functions[deployed.workflow.name] = fn
            elif deployed.worker:
                self.workers[deployed.job.name] = fn
                self._chunk_source(name, deployed, fn)
            else:
                self.batch_functions[deployed.job.name] = fn
                self._trigger(name, deployed.job.name, deployed.job.trigger, fn, buckets, account_id)
        self.audit_log_policy = self._audit_log_policy(name, tables[AUDIT_TABLE], audit_log_guards or [])
        self.register_outputs({k: v.name for k, v in self.functions.items()})

    def _audit_log_policy(self, name: str, table: aws.dynamodb.Table,
                          guards: list[dict[str, Any]]) -> aws.dynamodb.ResourcePolicy:
        """The audit table's own policy: no one deletes an event, only the sealer's role updates one; plus the
        guards Storage gives every table with personal data (endpoint-only), since a table has one policy."""
        sealers = [d.label for d in deployed_functions() if d.needs.audit == "seal"]
        if len(sealers) != 1:
            raise ValueError(f"exactly one function seals the audit log; the declarations name {sealers}")
        # The document names the table and the sealer's role by the ARNs their names give, so that only the
        # endpoint guard (the DynamoDB endpoint's id, known once the foundation stage is deployed) can be unknown.
        settings = self.settings
        arn = table_arn(settings.region, self.account_id, STORAGE.table(AUDIT_TABLE).physical_name(
            settings.name_prefix))
        return aws.dynamodb.ResourcePolicy(
            f"{name}-audit-log-policy", resource_arn=table.arn,
            policy=json_output(_with_statements(audit_log.resource_policy(
                arn, role_arn(self.account_id, f"{settings.name_prefix}-{sealers[0]}")), guards)),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.roles[sealers[0]]]))

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
        dead_letter_alarm(f"{name}-{label}-dlq", f"{function_name}-dead-letters", dlq.name, self.alerts_topic_arn,
                          settings, child)
        document = role_policy(deployed.needs, settings, account_id, tables, buckets,
                               queue_arn(settings.region, account_id, f"{function_name}-dlq"),
                               log_group_arn(settings.region, account_id, f"/aws/lambda/{function_name}"),
                               queue_statements(deployed, self.queue_arns, self.dead_letter_arns))
        if deployed.job is None:
            document["Statement"].append(identity_keys_statement(settings, account_id))
        policy = aws.iam.RolePolicy(f"{name}-{label}", role=role.id, policy=json_output(document), opts=child)
        return aws.lambda_.Function(
            f"{name}-{label}", name=function_name, runtime="python3.11", handler=deployed.handler, code=code,
            layers=[self.layer.arn], role=role.arn, architectures=[settings.lambda_architecture],
            memory_size=settings.lambda_memory_mb, timeout=deployed.timeout,
            reserved_concurrent_executions=concurrency(settings, deployed),
            vpc_config={"subnet_ids": subnet_ids, "security_group_ids": [security_group_id]},
            tracing_config={"mode": "Active"}, dead_letter_config={"target_arn": dlq.arn}, kms_key_arn=keys["data"],
            logging_config={"log_format": "JSON", "log_group": log_group.name},
            environment={"variables": {
                "CHOJU_MODE": "aws", "CHOJU_REGION": settings.region, "CHOJU_NAME_PREFIX": settings.name_prefix,
                "CHOJU_JWKS": f"ssm:{parameter_name(settings)}", "CHOJU_TOKEN_ISSUER": settings.token_issuer,
                "CHOJU_TOKEN_AUDIENCE": settings.token_audience, "POWERTOOLS_SERVICE_NAME": "choju",
                "POWERTOOLS_METRICS_NAMESPACE": "choju",
            }},
            tags={**settings.tags, "choju:workflow": deployed.workflow.name},
            # After the role's policy: CreateFunction with a VPC configuration checks that the role may create
            # network interfaces, and a function must not run before it may reach its tables.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[log_group, policy]))

    def _chunk_source(self, name: str, deployed: DeployedFunction, fn: aws.lambda_.Function) -> None:
        """The job's queue feeds its worker; failed messages are reported one by one (powertools BatchProcessor),
        so a failing chunk never makes SQS deliver its neighbours again."""
        assert deployed.job is not None and deployed.job.chunks is not None
        chunks = deployed.job.chunks
        aws.lambda_.EventSourceMapping(
            f"{name}-{deployed.label}", event_source_arn=self.queues.queues[chunks.queue].arn, function_name=fn.arn,
            batch_size=chunks.batch_size, function_response_types=["ReportBatchItemFailures"],
            scaling_config={"maximum_concurrency": chunks.concurrency},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[fn]))

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
        # A bucket scanned for malware also notifies EventBridge, which GuardDuty's plan turns on; this resource owns
        # the bucket's whole notification configuration, so without `eventbridge` every update would turn it off.
        spec = STORAGE.bucket(trigger.bucket)
        aws.s3.BucketNotification(f"{name}-{batch}", bucket=bucket.id, eventbridge=spec.receives_files or None,
                                  lambda_functions=[{
            "lambda_function_arn": fn.arn, "events": ["s3:ObjectCreated:*"], "filter_prefix": trigger.prefix}],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]))
