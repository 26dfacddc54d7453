"""Compose the components from stack settings: what `pulumi up` creates."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from infra.account_controls import AccountControls, exempt_service_roles
from infra.api import PrivateApi
from infra.break_glass import break_glass_role
from infra.bundle import build_code, build_layer
from infra.documents import json_output, region_scp
from infra.identity_keys import IdentityKeys
from infra.keys import Keys
from infra.monitoring import Monitoring
from infra.network import Network
from infra.preflight import key_administrator, reserved_concurrency
from infra.queues import ChunkQueues
from infra.replication import Replication
from infra.settings import CAPABILITIES, StackSettings
from infra.storage import Storage
from infra.workloads import AUDIT_TABLE, Workloads, eraser_labels


@dataclass
class Stack:
    keys: Keys
    network: Network
    storage: Storage
    replication: Replication
    monitoring: Monitoring
    queues: ChunkQueues
    workloads: Workloads
    api: PrivateApi
    account: AccountControls | None = None
    settings: StackSettings | None = None


@dataclass
class Foundation:
    """What the foundation stage creates (`choju:stage: foundation`): the keys and the network, whose ids (the
    VPC endpoints' above all) every later preview then knows."""

    keys: Keys
    network: Network
    settings: StackSettings


FOUNDATION_STAGE_TYPE = "choju:stage:Foundation"


class FoundationStage(pulumi.ComponentResource):
    """A marker the policy pack reads: this update is the foundation stage. The pack accepts the missing trail and
    detector only while the stack holds nothing but foundation resources (policies/pre_checks.py)."""

    def __init__(self, name: str) -> None:
        super().__init__(FOUNDATION_STAGE_TYPE, name, {"stage": "foundation"}, None)
        self.register_outputs({})


def build(settings: StackSettings) -> Stack | Foundation:
    caller = aws.get_caller_identity_output()
    account_id = caller.account_id
    keys = Keys("keys", settings, account_id, key_administrator(settings, caller.arn))
    key_arns = {name: key.arn for name, key in keys.keys.items()}
    network = Network("network", settings, account_id, key_arns["logs"])
    if settings.stage == "foundation":
        FoundationStage("stage")
        pulumi.export("stage", "foundation")
        pulumi.export("vpc_id", network.vpc.id)
        pulumi.export("endpoint_ids", {service: e.id for service, e in network.endpoints.items()})
        return Foundation(keys, network, settings)
    replication_role_arn = pulumi.Output.concat("arn:aws:iam::", account_id, ":role/", settings.name_prefix,
                                                "-s3-replication")
    storage = Storage("storage", settings, key_arns["data"], [network.endpoints["s3"].id],
                      [break_glass_role(settings, account_id), replication_role_arn,
                       *exempt_service_roles(settings, account_id)],
                      table_endpoint_ids=[network.endpoints["dynamodb"].id], tables_with_own_policy=(AUDIT_TABLE,))
    erasers = [pulumi.Output.concat("arn:aws:iam::", account_id, ":role/", settings.name_prefix, "-", label)
               for label in eraser_labels()]
    replication = Replication("replication", settings, account_id, storage.buckets, storage.tables, key_arns["data"],
                              erasers, storage.versioning)
    monitoring = Monitoring("monitoring", settings, account_id, key_arns, storage.buckets, storage.access_logs)
    queues = ChunkQueues("queues", settings, key_arns["data"], monitoring.topic.arn)
    account = AccountControls("account", settings, account_id, replication.osaka, vpc_id=network.vpc.id,
                              logs_key_arn=key_arns["logs"], buckets=storage.buckets, access_logs=storage.access_logs)
    identity_keys = IdentityKeys("identity-keys", settings)
    layer = pulumi.FileArchive(str(build_layer(settings.lambda_architecture)))
    workloads = Workloads("workloads", settings, account_id, subnet_ids=network.subnet_ids,
                          security_group_id=network.workload_sg.id, tables=storage.tables, buckets=storage.buckets,
                          keys=key_arns, code=lambda workflow: pulumi.FileArchive(str(build_code(workflow.name))),
                          layer=layer, queues=queues, alerts_topic_arn=monitoring.topic.arn,
                          audit_log_guards=[storage.table_guards[AUDIT_TABLE]])
    api = PrivateApi("api", settings, account_id, network.endpoints["execute-api"].id, workloads.functions,
                     key_arns["logs"])
    pulumi.export("api_url", api.url)
    pulumi.export("reserved_concurrency", reserved_concurrency(settings))
    pulumi.export("vpc_id", network.vpc.id)
    pulumi.export("tables", {name: table.name for name, table in storage.tables.items()})
    pulumi.export("buckets", {name: bucket.bucket for name, bucket in storage.buckets.items()})
    pulumi.export("alerts_topic_arn", monitoring.topic.arn)
    pulumi.export("identity_keys_parameter", identity_keys.parameter.name)
    pulumi.export("identity_provider_jwks_url", settings.jwks_url)  # where `choju jwks sync --from` reads
    pulumi.export("provided_by_organisation", monitoring.provided_by_organisation)
    pulumi.export("provisions", {c: "organisation" if c in settings.organisation_provides else "stack"
                                 for c in sorted(CAPABILITIES)})
    pulumi.export("organisation_region_scp", json_output(region_scp()))
    return Stack(keys, network, storage, replication, monitoring, queues, workloads, api, account, settings)
