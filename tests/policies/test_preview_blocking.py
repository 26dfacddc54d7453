"""Every preview of a new stack blocks on the controls' violations (issue 17, "Preview-time decisions").

The program runs under the mocks with every computed output unknown (infra/mocks.py, `preview=True`; after the
foundation stage, the keys' and network's outputs known) and the pack's policies receive it as the analyzer
would (tests/policies/preview.py). A control whose check raised on an unknown value would be turned by the SDK
into an advisory note: the tests pin that none does, at the very first preview, at the foundation stage's and
at the one that follows it, and that each control blocks a violating resource whose other inputs are unknown
(docs/compliance-reviewers.md, "What blocks, and when")."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest
from pulumi_policy.proxy import UNKNOWN_OBJECT_VALUE, UNKNOWN_STRING_VALUE, UnknownValueError

from infra.documents import json_output
from policies.catalog import CONTROLS
from shared.storage import STORAGE
from tests.policies.engine_args import policy_resource, resource_args, stack_args, violations_of
from tests.policies.preview import first_preview, foundation_preview, second_preview

# What the very first preview of a new stack (no foundation stage) blocks on: these documents must name a VPC
# endpoint's id, which AWS assigns when the endpoint is created, so they cannot be read until the foundation stage
# (keys and network) is deployed; an unreadable document is a violation, never compliant (docs/operators.md).
NEED_THE_FOUNDATION = {
    "aws-apigateway-restapi-private": "the resource policy names the execute-api endpoint's id",
    "aws-s3-bucket-tls-only": "each data bucket's policy names the S3 gateway endpoint's id",
    "aws-s3-bucket-vpce-only": "each data bucket's policy names the S3 gateway endpoint's id",
    "aws-dynamodb-audit-log-append-only": "the audit table's policy names the DynamoDB gateway endpoint's id",
}
# The six that could not decide at a first preview before: now each decides, and blocks a violation.
WERE_UNDECIDABLE = (*NEED_THE_FOUNDATION, "aws-iam-policy-no-wildcard-action",
                    "aws-iam-policy-no-wildcard-resource-on-data")


@pytest.fixture(scope="module")
def first() -> dict[str, tuple[str, list[str]]]:
    return first_preview("dev")


@pytest.fixture(scope="module")
def foundation() -> dict[str, tuple[str, list[str]]]:
    return foundation_preview("dev")


@pytest.fixture(scope="module")
def compliant() -> dict[str, tuple[str, list[str]]]:
    """The preview after the foundation stage's `pulumi up`: the second of a new stack's two."""
    return second_preview("dev")


def _statuses(verdicts: dict[str, tuple[str, list[str]]]) -> dict[str, str]:
    return {cid: status for cid, (status, _) in verdicts.items()}


def test_no_control_is_left_undecided_at_any_preview(first, foundation, compliant) -> None:
    for verdicts in (first, foundation, compliant):
        assert [cid for cid, s in _statuses(verdicts).items() if s == "undecidable"] == []


def test_the_very_first_preview_blocks_until_the_foundation_is_deployed(first) -> None:
    """Without the foundation stage, the documents naming endpoint ids cannot be read: they block, and say how
    to proceed; every other control, the IAM ones included (key use by alias), decides and passes."""
    assert {cid for cid, s in _statuses(first).items() if s == "fail"} == set(NEED_THE_FOUNDATION)
    for cid in NEED_THE_FOUNDATION:
        assert first[cid][1] and all("choju:stage: foundation" in m for m in first[cid][1]), first[cid][1]
    assert first["aws-iam-policy-no-wildcard-action"][0] == first[
        "aws-iam-policy-no-wildcard-resource-on-data"][0] == "pass"


def test_the_foundation_stage_passes_every_control(foundation) -> None:
    """Keys and network only; the trail and the detector come with the next stage (policies/pre_checks.py
    foundation_only)."""
    assert _statuses(foundation) == dict.fromkeys(_statuses(foundation), "pass")
    assert len(foundation) == len(CONTROLS) == 38


def test_after_the_foundation_every_control_decides_and_passes(compliant) -> None:
    assert {cid: compliant[cid][1] for cid, s in _statuses(compliant).items() if s != "pass"} == {}


def test_the_foundation_marker_beside_anything_else_excuses_nothing() -> None:
    """Negative twin: a stack that says it is the foundation stage while holding a bucket still needs its trail
    and detector."""
    marker = policy_resource("choju:stage:Foundation", "stage", {"stage": "foundation"})
    bucket = policy_resource("aws:s3/bucket:Bucket", "data", {"bucket": "choju-dev-data"})
    for control in ("aws-cloudtrail-trail-configured", "aws-guardduty-detector-configured"):
        assert violations_of(control, stack_args(marker)) == []
        assert violations_of(control, stack_args(marker, bucket)), control


def rogue(stack) -> None:
    """One resource per control, each missing what its control requires while its other inputs are computed from
    resources not yet created (unknown at this preview: the REST API is not part of the foundation)."""
    vpc = stack.api.api.id
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
    _rogue_documents(stack, bucket)


def _rogue_documents(stack, bucket) -> None:
    """The six that could not decide before: each document known at this preview (endpoint ids from the
    foundation, ARNs from names, the account id) and violating its control."""
    account = aws.get_caller_identity_output().account_id
    s3_endpoint = stack.network.endpoints["s3"].id
    api_endpoint = stack.network.endpoints["execute-api"].id
    # REST API: private and bound, but its policy only allows through the endpoint and denies nothing else.
    aws.apigateway.RestApi("rogue-api", name="choju-dev-rogue", endpoint_configuration={
        "types": "PRIVATE", "vpc_endpoint_ids": [api_endpoint]}, policy=json_output({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
             "Condition": {"StringEquals": {"aws:SourceVpce": api_endpoint}}}]}))
    # The rogue bucket denies outside the endpoint but never plain HTTP (TLS-only).
    aws.s3.BucketPolicy("rogue-bucket-policy", bucket=bucket.id, policy=json_output({"Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::choju-dev-rogue/*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": s3_endpoint}}}]}))
    # A bucket tagged logs that nothing logs into, open outside the endpoint (endpoint-only, part B).
    stash = aws.s3.Bucket("rogue-stash", bucket="choju-dev-stash", tags={"data-classification": "logs"})
    aws.s3.BucketPolicy("rogue-stash-policy", bucket=stash.id, policy=json_output({"Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::choju-dev-stash/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    audit = pulumi.Output.concat("arn:aws:dynamodb:ap-northeast-1:", account, ":table/",
                                 STORAGE.table("audit-log").physical_name("choju-dev"))
    for label, statement in {
        "notaction": {"Sid": "AllButIam", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        "every-key": {"Sid": "EveryKey", "Effect": "Allow", "Action": ["kms:Decrypt"],
                      "Resource": pulumi.Output.concat("arn:aws:kms:ap-northeast-1:", account, ":key/*")},
        "audit-delete": {"Sid": "Tidy", "Effect": "Allow", "Action": ["dynamodb:DeleteItem"], "Resource": audit},
    }.items():
        aws.iam.RolePolicy(f"rogue-{label}", role="choju-dev-intake", policy=json_output({
            "Version": "2012-10-17", "Statement": [statement]}))
    # A document computed from a resource not created yet: no IAM control can read it, so both block.
    aws.iam.RolePolicy("rogue-computed", role="choju-dev-intake", policy=json_output({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"],
                                                "Resource": pulumi.Output.concat(stash.arn, "/*")}]}))


NOW_BLOCKING = ("aws-apigateway-stage-logging", "aws-lambda-function-no-public-access", "aws-lambda-function-dlq",
                "aws-lambda-function-env-cmk", "aws-s3-bucket-sse-kms", "aws-dynamodb-table-cmk",
                "aws-cloudtrail-trail-configured", "aws-cloudwatch-loggroup-kms-retention", "aws-sns-topic-encrypted",
                "aws-sqs-queue-encrypted", *WERE_UNDECIDABLE)


@pytest.fixture(scope="module")
def violating() -> dict[str, tuple[str, list[str]]]:
    return second_preview("dev", after=rogue)


@pytest.mark.parametrize("control", NOW_BLOCKING)
def test_a_violation_blocks_the_preview(violating, compliant, control: str) -> None:
    """The negative twin of the compliant program (which passes the same control at the same preview)."""
    assert compliant[control][0] == "pass"
    status, messages = violating[control]
    assert status == "fail" and any("rogue" in m for m in messages), (status, messages)


def test_each_rogue_document_is_caught_for_what_it_does(violating) -> None:
    messages = {cid: " | ".join(violating[cid][1]) for cid in WERE_UNDECIDABLE}
    assert "rogue-api" in messages["aws-apigateway-restapi-private"]
    assert "rogue-bucket" in messages["aws-s3-bucket-tls-only"]
    assert "rogue-stash" in messages["aws-s3-bucket-vpce-only"]
    assert "rogue-audit-delete" in messages["aws-dynamodb-audit-log-append-only"]
    assert "rogue-notaction" in messages["aws-iam-policy-no-wildcard-action"]
    assert "rogue-every-key" in messages["aws-iam-policy-no-wildcard-resource-on-data"]
    for cid in ("aws-iam-policy-no-wildcard-action", "aws-iam-policy-no-wildcard-resource-on-data"):
        assert "rogue-computed" in messages[cid]


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
