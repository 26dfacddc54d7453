"""The whole program passes every control; deliberately broken variants are caught, each by the right control."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from infra.mocks import run_program, run_program_with_stack
from policies.catalog import CONTROLS
from policies.evaluate import evaluate_all, from_recorded


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_each_example_stack_passes_every_control(stack: str) -> None:
    """Both example stacks meet every technical control before anything is deployed."""
    results = evaluate_all(from_recorded(run_program(stack)))
    assert {r.control.id: r.findings for r in results if r.status != "pass"} == {}
    assert len(results) == len(CONTROLS)


def internet_gateway(stack) -> None:
    aws.ec2.InternetGateway("rogue-igw", vpc_id=stack.network.vpc.id)


def public_api(stack) -> None:
    aws.apigateway.RestApi("rogue-api", endpoint_configuration={"types": "REGIONAL"})


def unencrypted_bucket(stack) -> None:
    bucket = aws.s3.Bucket("rogue-bucket", bucket="rogue", tags={"data-classification": "personal"})
    aws.s3.BucketPublicAccessBlock("rogue-bucket-pab", bucket=bucket.id, block_public_acls=True,
                                   block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)


def provider_in_virginia(stack) -> None:
    virginia = aws.Provider("virginia", region="us-east-1")
    aws.sns.Topic("rogue-topic", kms_master_key_id="alias/x", opts=pulumi.ResourceOptions(provider=virginia))


def lambda_outside_vpc(stack) -> None:
    aws.lambda_.Function("rogue-fn", runtime="python3.11", handler="x.handler", role="arn:aws:iam::1:role/x",
                         code=pulumi.AssetArchive({}), tracing_config={"mode": "Active"},
                         dead_letter_config={"target_arn": "arn:aws:sqs:ap-northeast-1:1:q"},
                         reserved_concurrent_executions=1, kms_key_arn="arn:k")


def audit_deleter(stack) -> None:
    table = stack.storage.tables["audit-log"]
    aws.iam.RolePolicy("rogue-audit-cleanup", role="choju-dev-intake", policy=table.arn.apply(lambda arn: (
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:DeleteItem", '
        f'"Resource": "{arn}"}}]}}')))


@pytest.mark.parametrize("variant, control", [
    (audit_deleter, "aws-dynamodb-audit-log-append-only"),
    (internet_gateway, "aws-ec2-internet-gateway-absent"),
    (public_api, "aws-apigateway-restapi-private"),
    (unencrypted_bucket, "aws-s3-bucket-sse-kms"),
    (provider_in_virginia, "aws-provider-region-japan"),
    (lambda_outside_vpc, "aws-lambda-function-in-vpc"),
], ids=["a role that deletes audit events", "an internet gateway",
        "a public API", "a bucket without encryption", "a provider in us-east-1",
        "a Lambda outside the VPC"])
def test_a_broken_variant_is_caught_by_the_right_control(variant, control: str) -> None:
    mocks = run_program_with_stack("dev", after=variant)
    failed = {r.control.id: r.findings for r in evaluate_all(from_recorded(mocks.resources)) if r.failed}
    assert control in failed
    assert any(name.startswith(("rogue", "virginia")) for name, _ in failed[control])
