"""Continuous monitoring (PIA-III-7-d): CloudTrail with S3, DynamoDB and Lambda data events, GuardDuty findings
and tampering routed to an encrypted topic, and CIS-style metric alarms. In Government Cloud the organisation
often owns the trail: the stack then declares it organisation-provided (`choju:organisationProvides`) and
records that it is. The account-level services (GuardDuty, Config, ...) are infra/account_controls.py."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from infra.arns import bucket_arn, table_arn, trail_arn
from infra.break_glass import break_glass_role_name
from infra.documents import json_output
from infra.log_groups import encrypted_log_group, role_writing_to
from infra.settings import StackSettings
from infra.storage import PERSONAL_DATA, log_bucket, tls_only_statement
from shared.storage import STORAGE

TAMPERING_EVENTS = {
    "cloudtrail.amazonaws.com": ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"],
    "kms.amazonaws.com": ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy"],
    "ec2.amazonaws.com": ["AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "CreateSecurityGroup",
                          "DeleteSecurityGroup", "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress"],
}
# No EventBridge rule for IAM: IAM is a global service whose CloudTrail events reach EventBridge only in us-east-1
# (EventBridge User Guide, "Events from AWS services": global services), so a Tokyo rule never fires, and the
# region guardrail forbids a rule there. IAM changes are caught from the multi-region trail's log group instead
# (the iam-policy-changes filter below), which receives them wherever they are recorded.
# CIS AWS Foundations 4.x metric filters (the subset the PIA's monitoring measure names).
CIS_FILTERS = {
    "unauthorized-api-calls": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    "root-account-usage": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && '
                          '$.eventType != "AwsServiceEvent" }',
    "iam-policy-changes": "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = DeleteGroupPolicy) || "
                          "($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || "
                          "($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || "
                          "($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || "
                          "($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || "
                          "($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || "
                          "($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || "
                          "($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || "
                          "($.eventName = DetachGroupPolicy) || ($.eventName = PutRolePermissionsBoundary) || "
                          "($.eventName = DeleteRolePermissionsBoundary) || ($.eventName = UpdateAssumeRolePolicy)) }",
    "console-signin-failures": '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
}


def break_glass_filter(role_name: str) -> str:
    """Every assumption of the break-glass role (infra/break_glass.py) raises an alarm."""
    return (f'{{ ($.eventSource = sts.amazonaws.com) && ($.eventName = AssumeRole) && '
            f'($.requestParameters.roleArn = "*:role/{role_name}") }}')


class Monitoring(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, account_id: Any, keys: dict[str, pulumi.Input[str]],
                 buckets: dict[str, aws.s3.Bucket], access_logs: aws.s3.Bucket,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        provided = sorted(settings.organisation_provides)
        # Declared as the component's input so the policy pack sees it (controls accept organisation-provided).
        super().__init__("choju:monitoring:Monitoring", name, {"providedByOrganisation": provided}, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.settings = settings
        self.topic = aws.sns.Topic(f"{name}-alerts", name=f"{settings.name_prefix}-security-alerts",
                                   kms_master_key_id=keys["data"], tags=settings.tags, opts=child)
        aws.sns.TopicPolicy(f"{name}-alerts", arn=self.topic.arn, policy=json_output({
            "Version": "2012-10-17", "Statement": [{
                "Sid": "EventsAndAlarmsOfThisAccount", "Effect": "Allow",
                "Principal": {"Service": ["events.amazonaws.com", "cloudwatch.amazonaws.com"]},
                "Action": "sns:Publish", "Resource": self.topic.arn,
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}}]}), opts=child)
        if settings.alarm_email:
            aws.sns.TopicSubscription(f"{name}-alerts-email", topic=self.topic.arn, protocol="email",
                                      endpoint=settings.alarm_email, opts=child)
        self.provided_by_organisation = provided
        self.trail_log_group: aws.cloudwatch.LogGroup | None = None
        if settings.create_cloudtrail:
            self._trail(name, settings, account_id, keys["logs"], buckets, access_logs, child)
        self._event_rules(name, settings, child)
        self.register_outputs({"alerts_topic": self.topic.arn,
                               "provided_by_organisation": self.provided_by_organisation})

    def _trail(self, name: str, settings: StackSettings, account_id: Any, logs_key: pulumi.Input[str],
               buckets: dict[str, aws.s3.Bucket], access_logs: aws.s3.Bucket, child: pulumi.ResourceOptions) -> None:
        bucket = log_bucket(f"{name}-trail", f"{settings.name_prefix}-cloudtrail", logs_key, access_logs, settings,
                            self)
        trail = trail_arn(settings.region, account_id, settings.name_prefix)
        trail_bucket = bucket_arn(f"{settings.name_prefix}-cloudtrail")  # known at preview
        policy = aws.s3.BucketPolicy(f"{name}-trail-policy", bucket=bucket.id, policy=json_output({
            "Version": "2012-10-17", "Statement": [
                tls_only_statement(trail_bucket),
                {"Sid": "CloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:GetBucketAcl", "Resource": trail_bucket,
                 "Condition": {"StringEquals": {"aws:SourceArn": trail}}},
                {"Sid": "CloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:PutObject",
                 "Resource": pulumi.Output.concat(trail_bucket, "/AWSLogs/", account_id, "/*"),
                 "Condition": {"StringEquals": {"aws:SourceArn": trail,
                                                "s3:x-amz-acl": "bucket-owner-full-control"}}},
                {"Sid": "DenyDeletion", "Effect": "Deny", "Principal": "*", "Action": ["s3:DeleteObject*"],
                 "Resource": pulumi.Output.concat(trail_bucket, "/*")},
            ]}), opts=child)
        self.trail_log_group = encrypted_log_group(f"{name}-trail", f"/choju/{settings.name_prefix}/cloudtrail",
                                                   settings, logs_key, child)
        role = role_writing_to(f"{name}-trail-to-logs", "cloudtrail.amazonaws.com", self.trail_log_group, settings,
                               account_id, child)
        personal = [buckets[b.name].arn for b in STORAGE.buckets if b.data_class in PERSONAL_DATA]
        personal_tables = [table_arn(settings.region, account_id, t.physical_name(settings.name_prefix))
                           for t in STORAGE.tables if t.data_class in PERSONAL_DATA]
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail", name=settings.name_prefix, s3_bucket_name=bucket.id, is_multi_region_trail=True,
            include_global_service_events=True, enable_log_file_validation=True, kms_key_id=logs_key,
            cloud_watch_logs_group_arn=pulumi.Output.concat(self.trail_log_group.arn, ":*"),
            cloud_watch_logs_role_arn=role.arn,
            advanced_event_selectors=[
                {"name": "management events",
                 "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]},
                {"name": "S3 data events on buckets with personal data",
                 "field_selectors": [{"field": "eventCategory", "equals": ["Data"]},
                                     {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                                     {"field": "resources.ARN",
                                      "starts_withs": [pulumi.Output.concat(a, "/") for a in personal]}]},
                # Who read or changed which person's record, beside the application's own audit log (PIA-III-2-c).
                {"name": "DynamoDB data events on tables with personal data",
                 "field_selectors": [{"field": "eventCategory", "equals": ["Data"]},
                                     {"field": "resources.type", "equals": ["AWS::DynamoDB::Table"]},
                                     {"field": "resources.ARN", "equals": personal_tables}]},
                {"name": "Lambda invocations",
                 "field_selectors": [{"field": "eventCategory", "equals": ["Data"]},
                                     {"field": "resources.type", "equals": ["AWS::Lambda::Function"]}]},
            ],
            tags=settings.tags, opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]))
        if not settings.creates("cis-alarms"):
            return
        filters = {**CIS_FILTERS, "break-glass-use": break_glass_filter(break_glass_role_name(settings))}
        for filter_name, pattern in filters.items():
            metric = f"choju-{filter_name}"
            aws.cloudwatch.LogMetricFilter(f"{name}-{filter_name}", log_group_name=self.trail_log_group.name,
                                           pattern=pattern, metric_transformation={
                                               "name": metric, "namespace": "choju/security", "value": "1"},
                                           opts=child)
            aws.cloudwatch.MetricAlarm(f"{name}-{filter_name}", name=f"{settings.name_prefix}-{filter_name}",
                                       namespace="choju/security", metric_name=metric, statistic="Sum", period=300,
                                       evaluation_periods=1, threshold=1, comparison_operator=(
                                           "GreaterThanOrEqualToThreshold"), treat_missing_data="notBreaching",
                                       alarm_actions=[self.topic.arn], tags=settings.tags, opts=child)

    def _event_rules(self, name: str, settings: StackSettings, child: pulumi.ResourceOptions) -> None:
        rules = {
            "guardduty-findings": {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"],
                                   "detail": {"severity": [{"numeric": [">=", 4]}]}},
            **{f"tampering-{service.split('.')[0]}": {
                "detail-type": ["AWS API Call via CloudTrail"],
                "detail": {"eventSource": [service], "eventName": events}}
               for service, events in TAMPERING_EVENTS.items()},
        }
        for rule_name, pattern in rules.items():
            rule = aws.cloudwatch.EventRule(f"{name}-{rule_name}", name=f"{settings.name_prefix}-{rule_name}",
                                            event_pattern=json_output(pattern), tags=settings.tags, opts=child)
            aws.cloudwatch.EventTarget(f"{name}-{rule_name}", rule=rule.name, arn=self.topic.arn, opts=child)
