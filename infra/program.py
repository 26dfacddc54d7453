"""Compose the components from stack settings: what `pulumi up` creates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from infra.api import PrivateApi
from infra.bundle import build_code, build_layer
from infra.documents import json_output, region_scp
from infra.keys import Keys
from infra.monitoring import Monitoring
from infra.network import Network
from infra.replication import Replication
from infra.settings import StackSettings
from infra.storage import Storage
from infra.workloads import Workloads, eraser_labels


@dataclass
class Stack:
    keys: Keys
    network: Network
    storage: Storage
    replication: Replication
    monitoring: Monitoring
    workloads: Workloads
    api: PrivateApi


def break_glass_role(settings: StackSettings, account_id: Any) -> pulumi.Output[str]:
    """The operator's emergency role: the only principal allowed around the endpoint-only bucket policies.
    Assumable by this account's administrators with MFA; use of it is visible in CloudTrail."""
    if settings.break_glass_role_arn:
        return pulumi.Output.from_input(settings.break_glass_role_arn)
    role = aws.iam.Role("break-glass", name=f"{settings.name_prefix}-break-glass", max_session_duration=3600,
                        assume_role_policy=json_output({"Version": "2012-10-17", "Statement": [{
                            "Effect": "Allow",
                            "Principal": {"AWS": pulumi.Output.concat("arn:aws:iam::", account_id, ":root")},
                            "Action": "sts:AssumeRole",
                            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}),
                        tags={**settings.tags, "choju:role": "break-glass"})
    return role.arn


def build(settings: StackSettings) -> Stack:
    account_id = aws.get_caller_identity_output().account_id
    keys = Keys("keys", settings, account_id)
    key_arns = {name: key.arn for name, key in keys.keys.items()}
    network = Network("network", settings, account_id, key_arns["logs"])
    replication_role_arn = pulumi.Output.concat("arn:aws:iam::", account_id, ":role/", settings.name_prefix,
                                                "-s3-replication")
    storage = Storage("storage", settings, key_arns["data"], [network.endpoints["s3"].id],
                      [break_glass_role(settings, account_id), replication_role_arn])
    erasers = [pulumi.Output.concat("arn:aws:iam::", account_id, ":role/", settings.name_prefix, "-", label)
               for label in eraser_labels()]
    replication = Replication("replication", settings, account_id, storage.buckets, storage.tables, key_arns["data"],
                              erasers)
    monitoring = Monitoring("monitoring", settings, account_id, key_arns, storage.buckets, storage.access_logs)
    layer = pulumi.FileArchive(str(build_layer(settings.lambda_architecture)))
    workloads = Workloads("workloads", settings, account_id, subnet_ids=network.subnet_ids,
                          security_group_id=network.workload_sg.id, tables=storage.tables, buckets=storage.buckets,
                          keys=key_arns, code=lambda workflow: pulumi.FileArchive(str(build_code(workflow.name))),
                          layer=layer)
    api = PrivateApi("api", settings, account_id, network.endpoints["execute-api"].id, workloads.functions,
                     key_arns["logs"])
    pulumi.export("api_url", api.url)
    pulumi.export("vpc_id", network.vpc.id)
    pulumi.export("tables", {name: table.name for name, table in storage.tables.items()})
    pulumi.export("buckets", {name: bucket.bucket for name, bucket in storage.buckets.items()})
    pulumi.export("alerts_topic_arn", monitoring.topic.arn)
    pulumi.export("provided_by_organisation", monitoring.provided_by_organisation)
    pulumi.export("organisation_region_scp", json_output(region_scp()))
    return Stack(keys, network, storage, replication, monitoring, workloads, api)
