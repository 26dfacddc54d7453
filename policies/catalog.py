"""The control catalog (design rule 2): each control once, with the PIA measures it serves, the equivalent
public rule IDs (Checkov, AWS Config, Prowler; ../shared/docs/infra-anchors.md §4), its severity, the
pre-deployment check (policies/pre_checks.py) and the post-deployment check (policies/auditor.py) or why there
is none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from policies import pre_checks as pc

ResourceCheck = Callable[..., list[str]]
StackCheck = Callable[..., list[tuple[str, str]]]


@dataclass(frozen=True)
class Control:
    id: str
    statement: str
    pia: tuple[str, ...]
    severity: str  # "critical" | "high" | "medium" | "low"
    resource_check: ResourceCheck | None = None
    stack_check: StackCheck | None = None
    post_check: str | None = None  # name of the auditor check
    no_post_check_reason: str | None = None
    checkov: tuple[str, ...] = ()
    config_rules: tuple[str, ...] = ()
    prowler: tuple[str, ...] = ()
    mandatory: bool = True
    features: tuple[str, ...] = field(default_factory=tuple)


C = Control
CONTROLS: tuple[Control, ...] = (
    C("aws-provider-region-japan", "Every provider and every resource's own region is ap-northeast-1 or "
      "ap-northeast-3.", ("PIA-II-6-a",), "critical", resource_check=pc.region_in_japan,
      post_check="bucket_regions",
      config_rules=(), prowler=(), features=("CHOJU_REGION guard in shared/config.py",
                                             "client factory region guard (shared/adapters/aws.py)")),
    C("aws-ec2-internet-gateway-absent", "No internet, egress-only or NAT gateway, and no Elastic IP.",
      ("PIA-III-7-d", "PIA-III-7-c", "PIA-III-2-g"), "critical", resource_check=pc.no_internet_gateway,
      post_check="no_internet_gateways", config_rules=("INTERNET_GATEWAY_AUTHORIZED_VPC_ONLY",),
      prowler=("vpc_subnet_no_public_ip_by_default",)),
    C("aws-ec2-subnet-no-public-ip", "Subnets never map public IPs.", ("PIA-III-7-d",), "high",
      resource_check=pc.subnet_no_public_ip, post_check="subnets_private", checkov=("CKV_AWS_130",),
      config_rules=("SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED",), prowler=("vpc_subnet_no_public_ip_by_default",)),
    C("aws-ec2-route-no-default", "No route to 0.0.0.0/0 or ::/0.", ("PIA-III-7-d",), "critical",
      resource_check=pc.no_default_route, post_check="no_default_routes",
      config_rules=("NO_UNRESTRICTED_ROUTE_TO_IGW",)),
    C("aws-ec2-securitygroup-no-open-ingress", "No security group accepts traffic from 0.0.0.0/0 or ::/0.",
      ("PIA-III-7-c",), "critical", resource_check=pc.security_group_no_open_ingress,
      post_check="security_groups_closed", checkov=("CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260"),
      config_rules=("RESTRICTED_INCOMING_TRAFFIC", "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS"),
      prowler=("ec2_securitygroup_allow_ingress_from_internet_to_any_port",)),
    C("aws-ec2-default-securitygroup-closed", "The default security group has no rules.", ("PIA-III-7-c",),
      "medium", resource_check=pc.default_security_group_closed, post_check="default_security_groups_closed",
      checkov=("CKV2_AWS_12",), config_rules=("VPC_DEFAULT_SECURITY_GROUP_CLOSED",),
      prowler=("ec2_securitygroup_default_restrict_traffic",)),
    C("aws-ec2-vpc-flow-logs", "Every VPC has flow logs for ALL traffic.", ("PIA-III-7-d",), "high",
      stack_check=pc.vpc_flow_logs, post_check="flow_logs", checkov=("CKV2_AWS_11",),
      config_rules=("VPC_FLOW_LOGS_ENABLED",), prowler=("vpc_flow_logs_enabled",)),
    C("aws-ec2-vpc-endpoints-present", "The functions reach AWS APIs only through VPC endpoints (S3 and "
      "DynamoDB gateways; execute-api, KMS, Logs, STS, SQS interfaces).", ("PIA-III-7-d", "PIA-III-2-g"), "high",
      stack_check=pc.vpc_endpoints_present, post_check="vpc_endpoints",
      prowler=("vpc_endpoint_connections_trust_boundaries",)),
    C("aws-apigateway-restapi-private", "The REST API is PRIVATE, bound to this VPC's endpoint, and its "
      "resource policy denies every call that does not come through it; no other front door (HTTP/WebSocket API, "
      "CloudFront, internet-facing load balancer, public custom domain) exists.", ("PIA-III-2-g", "PIA-III-7-c"),
      "critical", resource_check=pc.api_private, post_check="private_apis",
      config_rules=("API_GW_ENDPOINT_TYPE_CHECK",),
      features=("no public endpoint: local mode binds to loopback only",)),
    C("aws-apigateway-stage-logging", "API stages write access logs, execution logs without bodies, and X-Ray "
      "traces.", ("PIA-III-7-d", "PIA-III-2-c"), "medium", stack_check=pc.api_stage_logging,
      post_check="api_stages", checkov=("CKV_AWS_76", "CKV_AWS_73"),
      config_rules=("API_GW_EXECUTION_LOGGING_ENABLED", "API_GW_XRAY_ENABLED"),
      prowler=("apigateway_restapi_logging_enabled",)),
    C("aws-lambda-function-no-public-access", "No function URL and no invoke permission for any principal or "
      "without a source.", ("PIA-III-2-g", "PIA-III-7-c"), "critical", resource_check=pc.lambda_no_public_access,
      post_check="lambda_not_public", checkov=("CKV_AWS_301", "CKV_AWS_258"),
      config_rules=("LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED",),
      prowler=("awslambda_function_url_public", "awslambda_function_not_publicly_accessible")),
    C("aws-lambda-function-in-vpc", "Every function runs in the closed VPC.", ("PIA-III-7-d",), "high",
      resource_check=pc.lambda_in_vpc, post_check="lambda_in_vpc", checkov=("CKV_AWS_117",),
      config_rules=("LAMBDA_INSIDE_VPC",), prowler=("awslambda_function_inside_vpc",)),
    C("aws-lambda-function-tracing", "Every function traces with X-Ray.", ("PIA-III-7-d",), "low",
      resource_check=pc.lambda_tracing, post_check="lambda_tracing", checkov=("CKV_AWS_50",)),
    C("aws-lambda-function-dlq", "Every function has a dead-letter queue, so no failed event is lost.",
      ("PIA-III-7-d",), "medium", resource_check=pc.lambda_dead_letter, post_check="lambda_dead_letter",
      checkov=("CKV_AWS_116",), config_rules=("LAMBDA_DLQ_CHECK",)),
    C("aws-lambda-function-concurrency", "Every function has reserved concurrency.", ("PIA-III-7-d",), "low",
      resource_check=pc.lambda_concurrency, post_check="lambda_concurrency", checkov=("CKV_AWS_115",),
      config_rules=("LAMBDA_CONCURRENCY_CHECK",)),
    C("aws-lambda-function-env-cmk", "Function environments are encrypted with a customer key.",
      ("PIA-III-7-d",), "medium", resource_check=pc.lambda_environment_cmk, post_check="lambda_env_cmk",
      checkov=("CKV_AWS_173",)),
    C("aws-s3-bucket-public-access-block", "Every bucket has all four public-access blocks.",
      ("PIA-III-7-c", "PIA-III-7-d"), "critical", stack_check=pc.s3_public_access_block,
      post_check="bucket_public_access_block", checkov=("CKV2_AWS_6",),
      config_rules=("S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",), prowler=("s3_bucket_level_public_access_block",)),
    C("aws-s3-bucket-sse-kms", "Every bucket encrypts by default with SSE-KMS under a customer key (the "
      "access-log bucket: SSE-S3, the only encryption S3 log delivery accepts).", ("PIA-III-7-d",), "high",
      stack_check=pc.s3_sse_kms, post_check="bucket_encryption", checkov=("CKV_AWS_145",),
      config_rules=("S3_DEFAULT_ENCRYPTION_KMS",), prowler=("s3_bucket_kms_encryption",)),
    C("aws-s3-bucket-tls-only", "Every bucket policy denies requests without TLS.", ("PIA-III-2-g",), "high",
      stack_check=pc.s3_tls_only, post_check="bucket_tls_only", config_rules=("S3_BUCKET_SSL_REQUESTS_ONLY",),
      prowler=("s3_bucket_secure_transport_policy",)),
    C("aws-s3-bucket-vpce-only", "Buckets with personal data deny requests that do not come through this VPC's "
      "endpoint (break-glass and replication roles excepted).", ("PIA-III-7-d", "PIA-III-2-g"), "high",
      stack_check=pc.s3_vpce_only, post_check="bucket_vpce_only"),
    C("aws-s3-bucket-versioning", "Every bucket keeps versions.", ("PIA-II-6-b",), "medium",
      stack_check=pc.s3_versioning, post_check="bucket_versioning", checkov=("CKV_AWS_21",),
      config_rules=("S3_BUCKET_VERSIONING_ENABLED",), prowler=("s3_bucket_object_versioning",)),
    C("aws-s3-bucket-access-logging", "Every data bucket writes server access logs.", ("PIA-III-2-c",),
      "medium", stack_check=pc.s3_access_logging, post_check="bucket_logging", checkov=("CKV_AWS_18",),
      config_rules=("S3_BUCKET_LOGGING_ENABLED",), prowler=("s3_bucket_server_access_logging_enabled",)),
    C("aws-s3-bucket-audit-object-lock", "The audit bucket is under Object Lock in COMPLIANCE mode.",
      ("PIA-III-8", "PIA-III-2-c"), "high", stack_check=pc.s3_audit_object_lock, post_check="audit_object_lock",
      checkov=("CKV_AWS_143",), config_rules=("S3_BUCKET_DEFAULT_LOCK_ENABLED",),
      prowler=("s3_bucket_object_lock",), features=("hash-chained audit log and `choju audit-log verify`",)),
    C("aws-dynamodb-audit-log-append-only", "Every role may only put new events into the audit log (event "
      "partitions and attributes, no read-back), one role alone may update it and only the seal, and the table's "
      "policy denies deleting events to every principal.", ("PIA-III-2-c", "PIA-III-3-f", "PIA-III-8"), "high",
      stack_check=pc.audit_log_append_only, post_check="audit_log_append_only",
      features=("one write per event, sealed hash chain, digests under Object Lock, `choju audit-log verify`",)),
    C("aws-dynamodb-table-cmk", "Every table is encrypted with a customer key.", ("PIA-III-7-d",), "high",
      resource_check=pc.dynamodb_cmk, post_check="table_encryption", checkov=("CKV_AWS_119",),
      config_rules=("DYNAMODB_TABLE_ENCRYPTED_KMS",), prowler=("dynamodb_tables_kms_cmk_encryption_enabled",),
      features=("My Number field encryption under its own key (shared/adapters/field_crypto.py)",)),
    C("aws-dynamodb-table-pitr", "Every table has point-in-time recovery.", ("PIA-II-6-b",), "medium",
      resource_check=pc.dynamodb_pitr, post_check="table_pitr", checkov=("CKV_AWS_28",),
      config_rules=("DYNAMODB_PITR_ENABLED",), prowler=("dynamodb_tables_pitr_enabled",)),
    C("aws-dynamodb-table-deletion-protection", "Every table has deletion protection.", ("PIA-II-6-b",),
      "medium", resource_check=pc.dynamodb_deletion_protection, post_check="table_deletion_protection",
      config_rules=("DYNAMODB_TABLE_DELETION_PROTECTION_ENABLED",)),
    C("aws-kms-key-rotation", "Every customer key rotates.", ("PIA-III-7-d",), "medium",
      resource_check=pc.kms_rotation, post_check="key_rotation", checkov=("CKV_AWS_7",),
      config_rules=("CMK_BACKING_KEY_ROTATION_ENABLED",), prowler=("kms_cmk_rotation_enabled",)),
    C("aws-kms-key-policy-restricted", "No key policy allows `*` without a condition, and none bypasses the "
      "lockout safety check.", ("PIA-III-7-d", "PIA-III-3-d"), "critical", resource_check=pc.kms_policy_no_star,
      post_check="key_policies", checkov=("CKV_AWS_33",), prowler=("kms_key_not_publicly_accessible",)),
    C("aws-cloudtrail-trail-configured", "A multi-region trail with log-file validation, KMS, CloudWatch Logs, "
      "S3 and Lambda data events — or the stack declares the organisation trail.", ("PIA-III-7-d", "PIA-III-2-c"),
      "critical", stack_check=pc.cloudtrail_configured, post_check="cloudtrail",
      checkov=("CKV_AWS_67", "CKV_AWS_36", "CKV_AWS_35", "CKV2_AWS_10"),
      config_rules=("MULTI_REGION_CLOUD_TRAIL_ENABLED", "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
                    "CLOUD_TRAIL_ENCRYPTION_ENABLED", "CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED"),
      prowler=("cloudtrail_multi_region_enabled", "cloudtrail_log_file_validation_enabled",
               "cloudtrail_kms_encryption_enabled", "cloudtrail_s3_dataevents_read_enabled")),
    C("aws-guardduty-detector-configured", "A GuardDuty detector with S3, Lambda network, runtime and malware "
      "protection — or the stack declares the organisation's.", ("PIA-III-7-d", "PIA-III-7-c"), "high",
      stack_check=pc.guardduty_configured, post_check="guardduty", config_rules=("GUARDDUTY_ENABLED_CENTRALIZED",),
      prowler=("guardduty_is_enabled",)),
    C("aws-cloudwatch-loggroup-kms-retention", "Every log group is KMS-encrypted and has a retention period.",
      ("PIA-III-7-d",), "medium", resource_check=pc.log_group_kms_retention, post_check="log_groups",
      checkov=("CKV_AWS_158", "CKV_AWS_66"),
      config_rules=("CLOUDWATCH_LOG_GROUP_ENCRYPTED", "CW_LOGGROUP_RETENTION_PERIOD_CHECK"),
      prowler=("cloudwatch_log_group_kms_encryption_enabled",
               "cloudwatch_log_group_retention_policy_specific_days_enabled"),
      features=("My Number redaction in every log line (shared/observability.py)",)),
    C("aws-iam-policy-no-wildcard-action", "No IAM policy allows `*` or `service:*` actions, or allows with "
      "NotAction or NotResource.", ("PIA-III-3-d",),
      "high", resource_check=pc.iam_no_wildcard_action, post_check="iam_policies", checkov=("CKV_AWS_62",
                                                                                          "CKV_AWS_290"),
      config_rules=("IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS", "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS"),
      prowler=("iam_inline_policy_no_administrative_privileges",),
      features=("roles generated from functions/<workflow>/workflow.py",)),
    C("aws-iam-policy-no-wildcard-resource-on-data", "No IAM policy grants a data action on every resource.",
      ("PIA-III-3-d",), "high", resource_check=pc.iam_no_wildcard_resource_on_data, post_check="iam_policies",
      checkov=("CKV_AWS_355",)),
    C("aws-iam-role-region-boundary", "Every function role carries a boundary that denies actions outside Japan.",
      ("PIA-II-6-a",), "high", stack_check=pc.iam_region_boundary, post_check="role_boundaries"),
    C("aws-sns-topic-encrypted", "Topics are encrypted with a customer key.", ("PIA-III-7-d",), "medium",
      resource_check=pc.sns_encrypted, post_check="topics_encrypted", checkov=("CKV_AWS_26",),
      config_rules=("SNS_ENCRYPTED_KMS",), prowler=("sns_topics_kms_encryption_at_rest_enabled",)),
    C("aws-sqs-queue-encrypted", "Queues are encrypted with a customer key.", ("PIA-III-7-d",), "medium",
      resource_check=pc.sqs_encrypted, post_check="queues_encrypted", checkov=("CKV_AWS_27",),
      prowler=("sqs_queues_server_side_encryption_enabled",)),
    C("aws-storage-data-classification-tag", "Every bucket, table, queue and log group is tagged with its data "
      "classification.", ("PIA-II-2-b", "PIA-III-7-d"), "low", resource_check=pc.data_classification_tag,
      post_check="classification_tags", config_rules=("REQUIRED_TAGS",),
      features=("data classes in the storage declaration (shared/storage.py)",)),
)
BY_ID = {c.id: c for c in CONTROLS}
