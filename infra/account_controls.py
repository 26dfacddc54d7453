"""Account-level detective and preventive services (PIA-III-7-c, III-7-d): GuardDuty in both regions with
Malware Protection for the buckets that receive files, AWS Config with the managed rules the controls map to,
Security Hub, IAM Access Analyzer, Macie, the account's S3 public access block, EBS encryption by default,
Route 53 Resolver query logs and a DNS Firewall.

Why one component: each is a per-account (or per-region) singleton that Government Cloud's organisation often
already runs for the account. Creating a second one fails (Config allows one recorder per region) or silently
fights the organisation's (GuardDuty). So each is created here unless the stack declares it organisation-provided
(`choju:organisationProvides`, infra/settings.py CAPABILITIES), and the stack output `provisions` says which.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.arns import bucket_arn, key_use_statement, log_group_arn, role_arn
from infra.documents import assume_role, json_output
from infra.log_groups import encrypted_log_group
from infra.settings import StackSettings
from infra.storage import log_bucket, tls_only_statement
from shared.storage import STORAGE

__all__ = [
    "ALLOWED_DNS_DOMAINS",
    "GUARDDUTY_FEATURES",
    "AccountControls",
    "config_rules",
    "dns_allow_list",
    "exempt_service_roles",
    "macie_service_role",
    "malware_role_name",
    "malware_scan_policy",
]

# pulumi-aws DetectorFeature names (GuardDuty API, DetectorFeatureConfiguration).
GUARDDUTY_FEATURES = ("S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING", "EBS_MALWARE_PROTECTION")
# Names the closed VPC may resolve: AWS service endpoints only (the interface endpoints' private DNS names are
# under amazonaws.com). Everything else is answered NXDOMAIN: DNS queries are a data channel even without a route
# (AWS Security Blog, "How to protect against DNS exfiltration with Route 53 Resolver DNS Firewall").
ALLOWED_DNS_DOMAINS = ("amazonaws.com.", "*.amazonaws.com.")
# Config rules that need a parameter to mean what the control means (AWS Config Developer Guide, managed rules).
RULE_PARAMETERS: dict[str, dict[str, str]] = {
    "API_GW_ENDPOINT_TYPE_CHECK": {"endpointConfigurationTypes": "PRIVATE"},
    "REQUIRED_TAGS": {"tag1Key": "data-classification"},
}
# Global resource types (IAM) are recorded in the home region only (AWS Config, "Recording global resources").
CONFIG_ROLE_POLICY = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"
FSBP = "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0"


def malware_role_name(settings: StackSettings) -> str:
    return f"{settings.name_prefix}-malware-scan"


def macie_service_role(account_id: Any) -> pulumi.Output[str]:
    """Macie's service-linked role, which reads objects for sensitive-data discovery (Macie User Guide,
    "Allowing Macie to use a customer managed AWS KMS key")."""
    return role_arn(account_id, "aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie")


def exempt_service_roles(settings: StackSettings, account_id: Any) -> list[Any]:
    """The service roles that read objects from outside the VPC and so must be exempt from the endpoint-only
    bucket policies, or the scan, the discovery and the backup would be denied (infra/storage.py)."""
    roles: list[Any] = [role_arn(account_id, f"{settings.name_prefix}-backup")]
    if settings.creates("malware-protection"):
        roles.append(role_arn(account_id, malware_role_name(settings)))
    if settings.creates("macie"):
        roles.append(macie_service_role(account_id))
    return roles


def config_rules() -> tuple[str, ...]:
    """The AWS Config managed rules the controls map to (policies/catalog.py), each once."""
    from policies.catalog import CONTROLS

    return tuple(dict.fromkeys(rule for control in CONTROLS for rule in control.config_rules))


def dns_allow_list(settings: StackSettings) -> list[str]:
    return list(dict.fromkeys(ALLOWED_DNS_DOMAINS + tuple(
        d if d.endswith(".") else f"{d}." for d in settings.dns_allowed_domains)))


def malware_scan_policy(settings: StackSettings, account_id: Any) -> dict[str, Any]:
    """What GuardDuty Malware Protection for S3 needs per protected bucket (GuardDuty User Guide, "Create or
    update IAM role policy"): its managed EventBridge rule, the bucket's EventBridge notifications, reading and
    tagging objects, a validation object, and the bucket's key through S3 only."""
    region = settings.region
    buckets = [bucket_arn(b.physical_name(settings.name_prefix)) for b in STORAGE.buckets if b.receives_files]
    managed_rule = pulumi.Output.concat("arn:aws:events:", region, ":", account_id,
                                        ":rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*")
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "ManagedRule", "Effect": "Allow",
         "Action": ["events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets"],
         "Resource": managed_rule,
         "Condition": {"StringLike": {"events:ManagedBy": "malware-protection-plan.guardduty.amazonaws.com"}}},
        {"Sid": "DescribeManagedRule", "Effect": "Allow", "Action": ["events:DescribeRule", "events:ListTargetsByRule"],
         "Resource": managed_rule},
        {"Sid": "BucketNotifications", "Effect": "Allow",
         "Action": ["s3:PutBucketNotification", "s3:GetBucketNotification", "s3:ListBucket"], "Resource": buckets},
        {"Sid": "ValidationObject", "Effect": "Allow", "Action": ["s3:PutObject"],
         "Resource": [f"{b}/malware-protection-resource-validation-object" for b in buckets]},
        {"Sid": "ScanAndTag", "Effect": "Allow",
         "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging",
                    "s3:PutObjectTagging", "s3:PutObjectVersionTagging"],
         "Resource": [f"{b}/*" for b in buckets]},
        {"Sid": "DataKeyThroughS3", "Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
         "Resource": regional_key_arns(settings, account_id),
         "Condition": {"StringLike": {"kms:ViaService": f"s3.{region}.amazonaws.com"},
                       "ForAnyValue:StringEquals": {"kms:ResourceAliases": [
                           STORAGE.key("data").alias(settings.name_prefix)]}}},
    ]}


def regional_key_arns(settings: StackSettings, account_id: Any) -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:kms:", settings.region, ":", account_id, ":key/*")


class AccountControls(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, account_id: Any, osaka: aws.Provider, *,
                 vpc_id: Any, logs_key_arn: pulumi.Input[str], buckets: dict[str, aws.s3.Bucket],
                 access_logs: aws.s3.Bucket, opts: pulumi.ResourceOptions | None = None) -> None:
        provisions = {c: "stack" if settings.creates(c) else "organisation" for c in sorted(
            ("guardduty", "malware-protection", "config", "securityhub", "access-analyzer", "macie",
             "s3-account-public-access-block", "ebs-default-encryption", "dns-query-logs", "dns-firewall"))}
        super().__init__("choju:security:AccountControls", name, {"provisions": provisions}, opts)
        self.provisions = provisions
        child = pulumi.ResourceOptions(parent=self)
        in_osaka = pulumi.ResourceOptions(parent=self, provider=osaka)
        regions = ((settings.region, child), (settings.replica_region, in_osaka))
        if settings.creates("guardduty"):
            for region, opts_ in regions:
                self._guardduty(name, settings, region, opts_)
        if settings.creates("malware-protection"):
            self._malware_protection(name, settings, account_id, buckets, child)
        if settings.creates("config"):
            self._config(name, settings, account_id, logs_key_arn, access_logs, child)
        if settings.creates("securityhub"):
            hub = aws.securityhub.Account(f"{name}-securityhub", enable_default_standards=False,
                                          auto_enable_controls=True, opts=child)
            aws.securityhub.StandardsSubscription(f"{name}-fsbp", standards_arn=FSBP.format(region=settings.region),
                                                  opts=pulumi.ResourceOptions(parent=self, depends_on=[hub]))
        if settings.creates("access-analyzer"):
            for region, opts_ in regions:
                aws.accessanalyzer.Analyzer(f"{name}-access-analyzer-{region}",
                                            analyzer_name=f"{settings.name_prefix}-external-access", type="ACCOUNT",
                                            tags=settings.tags, opts=opts_)
        if settings.creates("macie"):
            aws.macie2.Account(f"{name}-macie", finding_publishing_frequency="FIFTEEN_MINUTES", status="ENABLED",
                               opts=child)
        if settings.creates("s3-account-public-access-block"):
            aws.s3.AccountPublicAccessBlock(f"{name}-s3-public-access-block", block_public_acls=True,
                                            block_public_policy=True, ignore_public_acls=True,
                                            restrict_public_buckets=True, opts=child)
        if settings.creates("ebs-default-encryption"):
            for region, opts_ in regions:
                aws.ebs.EncryptionByDefault(f"{name}-ebs-encryption-{region}", enabled=True, opts=opts_)
        if settings.creates("dns-query-logs"):
            self._query_logs(name, settings, account_id, vpc_id, logs_key_arn, child)
        if settings.creates("dns-firewall"):
            self._dns_firewall(name, settings, vpc_id, child)
        self.register_outputs({"provisions": provisions})

    def _guardduty(self, name: str, settings: StackSettings, region: str, opts: pulumi.ResourceOptions) -> None:
        """A detector of the stack's own, or the account's existing one adopted (choju:guardDutyDetectorIds):
        GuardDuty allows one detector per region, so creating a second fails."""
        detector_id: Any = settings.guardduty_detectors.get(region)
        if detector_id is None:
            detector_id = aws.guardduty.Detector(f"{name}-detector-{region}", enable=True,
                                                 finding_publishing_frequency="FIFTEEN_MINUTES", tags=settings.tags,
                                                 opts=opts).id
        for feature in GUARDDUTY_FEATURES:
            extra = ([{"name": "EC2_AGENT_MANAGEMENT", "status": "ENABLED"}]
                     if feature == "RUNTIME_MONITORING" else None)
            aws.guardduty.DetectorFeature(f"{name}-{feature.lower()}-{region}", detector_id=detector_id, name=feature,
                                          status="ENABLED", additional_configurations=extra, opts=opts)

    def _malware_protection(self, name: str, settings: StackSettings, account_id: Any,
                            buckets: dict[str, aws.s3.Bucket], child: pulumi.ResourceOptions) -> None:
        role = aws.iam.Role(f"{name}-malware-scan", name=malware_role_name(settings),
                            assume_role_policy=json_output(assume_role(
                                "malware-protection-plan.guardduty.amazonaws.com", account_id)),
                            tags=settings.tags, opts=child)
        policy = aws.iam.RolePolicy(f"{name}-malware-scan", role=role.id,
                                    policy=json_output(malware_scan_policy(settings, account_id)), opts=child)
        for spec in STORAGE.buckets:
            if spec.receives_files:
                aws.guardduty.MalwareProtectionPlan(
                    f"{name}-malware-{spec.name}", role=role.arn,
                    protected_resource={"s3_bucket": {"bucket_name": buckets[spec.name].bucket}},
                    actions=[{"taggings": [{"status": "ENABLED"}]}], tags=settings.tags,
                    opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]))

    def _config(self, name: str, settings: StackSettings, account_id: Any, logs_key_arn: pulumi.Input[str],
                access_logs: aws.s3.Bucket, child: pulumi.ResourceOptions) -> None:
        bucket = log_bucket(f"{name}-config", f"{settings.name_prefix}-config", logs_key_arn, access_logs, settings,
                            self)
        config_bucket = bucket_arn(f"{settings.name_prefix}-config")  # known at preview
        aws.s3.BucketPolicy(f"{name}-config-policy", bucket=bucket.id, policy=json_output({
            "Version": "2012-10-17", "Statement": [tls_only_statement(config_bucket)]}), opts=child)
        role = aws.iam.Role(f"{name}-config", name=f"{settings.name_prefix}-config",
                            assume_role_policy=json_output(assume_role("config.amazonaws.com", account_id)),
                            tags=settings.tags, opts=child)
        attached = aws.iam.RolePolicyAttachment(f"{name}-config", role=role.name, policy_arn=CONFIG_ROLE_POLICY,
                                                opts=child)
        delivery = aws.iam.RolePolicy(f"{name}-config-delivery", role=role.id, policy=json_output({
            "Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:PutObject"],
                 "Resource": pulumi.Output.concat(config_bucket, "/AWSLogs/", account_id, "/Config/*")},
                {"Effect": "Allow", "Action": ["s3:GetBucketAcl"], "Resource": config_bucket},
                key_use_statement("UseTheLogsKey", ["kms:GenerateDataKey", "kms:Decrypt"], settings.region, account_id,
                                  [STORAGE.key("logs").alias(settings.name_prefix)])]}),
            opts=child)
        recorder = aws.cfg.Recorder(f"{name}-config", name="default", role_arn=role.arn, recording_group={
            "all_supported": True, "include_global_resource_types": True},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[attached, delivery]))
        channel = aws.cfg.DeliveryChannel(f"{name}-config", name="default", s3_bucket_name=bucket.bucket,
                                          s3_kms_key_arn=logs_key_arn,
                                          opts=pulumi.ResourceOptions(parent=self, depends_on=[recorder]))
        status = aws.cfg.RecorderStatus(f"{name}-config", name=recorder.name, is_enabled=True,
                                        opts=pulumi.ResourceOptions(parent=self, depends_on=[channel]))
        for rule in config_rules():
            aws.cfg.Rule(f"{name}-{rule.lower().replace('_', '-')}",
                         name=f"{settings.name_prefix}-{rule.lower().replace('_', '-')}",
                         source={"owner": "AWS", "source_identifier": rule},
                         input_parameters=json_output(RULE_PARAMETERS[rule]) if rule in RULE_PARAMETERS else None,
                         tags=settings.tags, opts=pulumi.ResourceOptions(parent=self, depends_on=[status]))

    def _query_logs(self, name: str, settings: StackSettings, account_id: Any, vpc_id: Any,
                    logs_key_arn: pulumi.Input[str], child: pulumi.ResourceOptions) -> None:
        path = f"/choju/{settings.name_prefix}/dns-queries"
        group = encrypted_log_group(f"{name}-dns-queries", path, settings, logs_key_arn, child)
        # Resolver delivers through CloudWatch Logs' vended-log service, which needs the group's resource policy
        # (Route 53 Developer Guide, "Permissions for publishing query logs to CloudWatch Logs").
        access = aws.cloudwatch.LogResourcePolicy(f"{name}-dns-queries", policy_name=f"{settings.name_prefix}-dns",
                                                  policy_document=json_output({
                                                      "Version": "2012-10-17", "Statement": [{
                                                          "Effect": "Allow",
                                                          "Principal": {"Service": "delivery.logs.amazonaws.com"},
                                                          "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                                          "Resource": pulumi.Output.concat(log_group_arn(
                                                              settings.region, account_id, path), ":*"),
                                                          "Condition": {"StringEquals": {
                                                              "aws:SourceAccount": account_id}}}]}), opts=child)
        config = aws.route53.ResolverQueryLogConfig(
            f"{name}-dns-queries", name=f"{settings.name_prefix}-dns-queries", destination_arn=group.arn,
            tags=settings.tags, opts=pulumi.ResourceOptions(parent=self, depends_on=[access]))
        aws.route53.ResolverQueryLogConfigAssociation(f"{name}-dns-queries", resolver_query_log_config_id=config.id,
                                                      resource_id=vpc_id, opts=child)

    def _dns_firewall(self, name: str, settings: StackSettings, vpc_id: Any, child: pulumi.ResourceOptions) -> None:
        prefix = settings.name_prefix
        allowed = aws.route53.ResolverFirewallDomainList(f"{name}-dns-allowed", name=f"{prefix}-allowed",
                                                         domains=dns_allow_list(settings), tags=settings.tags,
                                                         opts=child)
        everything = aws.route53.ResolverFirewallDomainList(f"{name}-dns-everything", name=f"{prefix}-everything",
                                                            domains=["*"], tags=settings.tags, opts=child)
        group = aws.route53.ResolverFirewallRuleGroup(f"{name}-dns-firewall", name=f"{prefix}-dns-firewall",
                                                      tags=settings.tags, opts=child)
        aws.route53.ResolverFirewallRule(f"{name}-dns-allow", name="allow-aws-services", action="ALLOW",
                                         firewall_domain_list_id=allowed.id, firewall_rule_group_id=group.id,
                                         priority=100, opts=child)
        aws.route53.ResolverFirewallRule(f"{name}-dns-block", name="block-everything-else", action="BLOCK",
                                         block_response="NXDOMAIN", firewall_domain_list_id=everything.id,
                                         firewall_rule_group_id=group.id, priority=200, opts=child)
        aws.route53.ResolverFirewallRuleGroupAssociation(f"{name}-dns-firewall", name=f"{prefix}-dns-firewall",
                                                         firewall_rule_group_id=group.id, vpc_id=vpc_id,
                                                         priority=101, mutation_protection="ENABLED",
                                                         tags=settings.tags, opts=child)
        # Fail closed: when the firewall cannot answer, queries are refused rather than let through.
        aws.route53.ResolverFirewallConfig(f"{name}-dns-firewall", resource_id=vpc_id, firewall_fail_open="DISABLED",
                                           opts=child)
