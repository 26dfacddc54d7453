"""The first `pulumi preview` of a stack blocks on the controls' violations (issue 17, "Preview-time decisions").

The program runs under the mocks with every computed output unknown (infra/mocks.py, `preview=True`) and the
pack's policies receive it as the analyzer would (tests/policies/preview.py). A control whose check meets an
unknown value is turned by the SDK into an advisory note, so it does not block: the test pins which controls
decide at the first preview and which cannot yet, with why (docs/compliance-reviewers.md says the same)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest
from pulumi_policy.proxy import UNKNOWN_OBJECT_VALUE, UNKNOWN_STRING_VALUE, UnknownValueError

from policies.catalog import CONTROLS
from tests.policies.engine_args import policy_resource, resource_args, stack_args, violations_of
from tests.policies.preview import first_preview

# Their documents embed values AWS assigns on creation (a VPC endpoint id, a KMS key ARN), so the engine sends
# the whole document as unknown; they decide at `pulumi up` (resource controls, before the resource is created)
# and after it (stack controls), and in the account auditor.
UNDECIDABLE_AT_FIRST_PREVIEW = {
    "aws-apigateway-restapi-private": "the resource policy names the execute-api endpoint's id",
    "aws-s3-bucket-tls-only": "each bucket policy names the S3 gateway endpoint's id",
    "aws-s3-bucket-vpce-only": "each bucket policy names the S3 gateway endpoint's id",
    "aws-dynamodb-audit-log-append-only": "role and table policies name KMS key ARNs and endpoint ids",
    "aws-iam-policy-no-wildcard-action": "workflow role policies name KMS key ARNs",
    "aws-iam-policy-no-wildcard-resource-on-data": "workflow role policies name KMS key ARNs",
}


@pytest.fixture(scope="module")
def compliant() -> dict[str, tuple[str, list[str]]]:
    return first_preview("dev")


def test_every_other_control_decides_at_the_first_preview_and_passes(compliant) -> None:
    """32 of 38 decide with nothing deployed; the rest are exactly the documented ones."""
    statuses = {cid: status for cid, (status, _) in compliant.items()}
    assert {cid for cid, s in statuses.items() if s == "undecidable"} == set(UNDECIDABLE_AT_FIRST_PREVIEW)
    assert {cid: compliant[cid][1] for cid, s in statuses.items() if s == "fail"} == {}
    assert sum(s == "pass" for s in statuses.values()) == len(CONTROLS) - len(UNDECIDABLE_AT_FIRST_PREVIEW) == 32


def rogue(stack) -> None:
    """One resource per control that now decides at preview, each missing what its control requires while its
    other inputs are computed from resources not yet created (unknown at preview)."""
    vpc = stack.network.vpc.id
    aws.apigateway.Stage("rogue-stage", rest_api=stack.api.api.id, deployment=vpc, stage_name="side",
                         xray_tracing_enabled=True)  # no access logs
    aws.lambda_.Permission("rogue-permission", function=vpc, action="lambda:InvokeFunction",
                           principal="apigateway.amazonaws.com")  # no source ARN
    aws.lambda_.Function("rogue-function", role=stack.api.api.arn, runtime="python3.12", handler="x.handler",
                         code=pulumi.AssetArchive({}), tracing_config={"mode": "Active"},
                         vpc_config={"subnet_ids": [vpc], "security_group_ids": [vpc]},
                         reserved_concurrent_executions=1)  # no dead-letter queue, no environment key
    bucket = aws.s3.Bucket("rogue-bucket", bucket="choju-dev-rogue", tags={"data-classification": "internal"})
    aws.s3.BucketServerSideEncryptionConfiguration("rogue-bucket-sse", bucket=bucket.id, rules=[{
        "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}])  # AWS-managed key
    aws.dynamodb.Table("rogue-table", name="choju-dev-rogue", hash_key="pk", attributes=[{"name": "pk", "type": "S"}],
                       billing_mode="PAY_PER_REQUEST", server_side_encryption={"enabled": True},  # AWS-managed key
                       point_in_time_recovery={"enabled": True}, deletion_protection_enabled=True,
                       tags={"data-classification": "internal"})
    aws.cloudtrail.Trail("rogue-trail", s3_bucket_name=bucket.id, is_multi_region_trail=True,
                         enable_log_file_validation=True)  # no key, no CloudWatch Logs
    aws.cloudwatch.LogGroup("rogue-logs", name=vpc.apply(lambda v: f"/rogue/{v}"), retention_in_days=30,
                            tags={"data-classification": "internal"})  # no key
    aws.sns.Topic("rogue-topic", name="choju-dev-rogue")
    aws.sqs.Queue("rogue-queue", name="choju-dev-rogue", tags={"data-classification": "internal"})


NOW_BLOCKING = ("aws-apigateway-stage-logging", "aws-lambda-function-no-public-access", "aws-lambda-function-dlq",
                "aws-lambda-function-env-cmk", "aws-s3-bucket-sse-kms", "aws-dynamodb-table-cmk",
                "aws-cloudtrail-trail-configured", "aws-cloudwatch-loggroup-kms-retention", "aws-sns-topic-encrypted",
                "aws-sqs-queue-encrypted")


@pytest.fixture(scope="module")
def violating() -> dict[str, tuple[str, list[str]]]:
    return first_preview("dev", after=rogue)


@pytest.mark.parametrize("control", NOW_BLOCKING)
def test_a_violation_blocks_the_first_preview(violating, compliant, control: str) -> None:
    """The negative twin of the compliant program (which passes the same control above)."""
    assert compliant[control][0] == "pass"
    status, messages = violating[control]
    assert status == "fail" and any("rogue" in m for m in messages), (status, messages)


def _encrypted_bucket(key_source: str):
    bucket = policy_resource("aws:s3/bucket:Bucket", "docs", {"bucket": "choju-t-docs"})
    source = policy_resource(key_source, "source", {})
    sse = policy_resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                          "sse", {"bucket": UNKNOWN_STRING_VALUE, "rules": [{"applyServerSideEncryptionByDefault": {
                              "sseAlgorithm": "aws:kms", "kmsMasterKeyId": UNKNOWN_STRING_VALUE}}]},
                          {"bucket": [bucket], "rules": [source]})
    return bucket, source, sse


def test_a_computed_bucket_key_from_a_customer_key_passes() -> None:
    assert violations_of("aws-s3-bucket-sse-kms", stack_args(*_encrypted_bucket("aws:kms/key:Key"))) == []


def test_a_computed_bucket_key_from_anything_else_is_not_compliant() -> None:
    """The twin: a key id computed from, say, an SSM parameter could name the AWS-managed key: cannot decide."""
    with pytest.raises(UnknownValueError):
        violations_of("aws-s3-bucket-sse-kms", stack_args(*_encrypted_bucket("aws:ssm/parameter:Parameter")))


def test_an_unknown_configuration_block_is_not_taken_as_present() -> None:
    """Only an unknown leaf counts as set: an unknown block may be computed without the leaf."""
    with pytest.raises(UnknownValueError):
        violations_of("aws-lambda-function-dlq", resource_args("aws:lambda/function:Function",
                                                               {"deadLetterConfig": UNKNOWN_OBJECT_VALUE}))
