"""Log groups encrypted with the logs key, and the service roles that write to them."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.documents import assume_role, json_output
from infra.settings import StackSettings


def encrypted_log_group(resource: str, path: pulumi.Input[str], settings: StackSettings, key_arn: pulumi.Input[str],
                        opts: pulumi.ResourceOptions) -> aws.cloudwatch.LogGroup:
    return aws.cloudwatch.LogGroup(resource, name=path, retention_in_days=settings.log_retention_days,
                                   kms_key_id=key_arn, tags={**settings.tags, "data-classification": "logs"},
                                   opts=opts)


def role_writing_to(resource: str, service: str, group: aws.cloudwatch.LogGroup, settings: StackSettings,
                    account_id: Any, opts: pulumi.ResourceOptions) -> aws.iam.Role:
    """A role `service` assumes (from this account only) to write streams into `group` and nothing else."""
    role = aws.iam.Role(resource, assume_role_policy=json_output(assume_role(service, account_id)),
                        tags=settings.tags, opts=opts)
    aws.iam.RolePolicy(resource, role=role.id, policy=json_output({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            # From the group's name, not its ARN: the ARN is computed on creation, the name is known at preview.
            "Resource": pulumi.Output.concat("arn:aws:logs:", settings.region, ":", account_id, ":log-group:",
                                             group.name, ":*")}]}), opts=opts)
    return role
