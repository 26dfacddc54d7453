"""A compliant choju account built with boto3 on moto, for the account auditor's tests."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from shared.adapters.aws import AwsClients

PREFIX = "choju-acct"
REGION = "ap-northeast-1"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return {}\n")
    return buffer.getvalue()


def build_compliant_account(clients: AwsClients) -> dict[str, Any]:
    """Every control satisfied, as far as moto stores it. Returns the ids the violation tests need."""
    ec2, s3, kms, db = clients.client("ec2"), clients.client("s3"), clients.client("kms"), clients.client("dynamodb")
    iam, lam, logs = clients.client("iam"), clients.client("lambda"), clients.client("logs")
    ids: dict[str, Any] = {}
    key = kms.create_key(Description="data")["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key)
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps({"Statement": [
        {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
         "Action": "kms:*", "Resource": "*"}]}))
    ids["key"] = key
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    ids["vpc"] = vpc
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.0.0/20", AvailabilityZone="ap-northeast-1a")["Subnet"]
    ids["subnet"] = subnet["SubnetId"]
    ids["route_table"] = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    group = ec2.create_security_group(GroupName=f"{PREFIX}-workload", Description="w", VpcId=vpc)["GroupId"]
    ids["sg"] = group
    default = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                    {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]
    for perm_key, revoke in (("IpPermissions", ec2.revoke_security_group_ingress),
                             ("IpPermissionsEgress", ec2.revoke_security_group_egress)):
        if default.get(perm_key):
            revoke(GroupId=default["GroupId"], IpPermissions=default[perm_key])
    for service, kind in (("s3", "Gateway"), ("dynamodb", "Gateway"), ("execute-api", "Interface"), ("kms",
                                                                                                     "Interface"),
                          ("logs", "Interface"), ("sts", "Interface"), ("sqs", "Interface")):
        extra = {"RouteTableIds": [ids["route_table"]]} if kind == "Gateway" else {"SubnetIds": [ids["subnet"]]}
        ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{REGION}.{service}", VpcEndpointType=kind,
                                **extra)
    logs.create_log_group(logGroupName=f"/choju/{PREFIX}/flow", kmsKeyId=key)
    logs.put_retention_policy(logGroupName=f"/choju/{PREFIX}/flow", retentionInDays=400)
    ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
                         LogDestinationType="cloud-watch-logs",
                         LogGroupName=f"/choju/{PREFIX}/flow",
                         DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/flow")

    for name, classification, lock in (("access-logs", "logs", False), ("audit", "audit", True),
                                       ("documents", "specific-personal", False), ("cloudtrail", "logs", False)):
        bucket = f"{PREFIX}-{name}"
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION},
                         ObjectLockEnabledForBucket=lock)
        blocks = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=dict.fromkeys(blocks, True))
        sse = ({"SSEAlgorithm": "AES256"} if name == "access-logs"
               else {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key})
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": sse}]})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        tags = [{"Key": "data-classification", "Value": classification}]
        if name == "access-logs":
            tags.append({"Key": "choju:role", "Value": "access-logs"})
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
        # Principal {"AWS": "*"} (same meaning as "*"): moto's logging-target check reads Principal as a dict.
        statements = [
            {"Sid": "TLS", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
             "Resource": f"arn:aws:s3:::{bucket}/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Sid": "Vpce", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
             "Resource": f"arn:aws:s3:::{bucket}/*", "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-1"]}}}]
        if name == "access-logs":
            statements.append({"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
                               "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*"})
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
        if name != "access-logs":
            s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={"LoggingEnabled": {
                "TargetBucket": f"{PREFIX}-access-logs", "TargetPrefix": f"{name}/"}})
        if lock:
            s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 30}}})
    ids["bucket"] = f"{PREFIX}-documents"

    table = f"{PREFIX}-persons"
    db.create_table(TableName=table, KeySchema=[{"AttributeName": "person_id", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "person_id", "AttributeType": "S"}],
                    BillingMode="PAY_PER_REQUEST", SSESpecification={"Enabled": True, "SSEType": "KMS",
                                                                      "KMSMasterKeyId": key},
                    DeletionProtectionEnabled=True, Tags=[{"Key": "data-classification", "Value": "specific-personal"}])
    db.update_continuous_backups(TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    ids["table"] = table

    audit_table = f"{PREFIX}-audit-log"
    audit_arn = db.create_table(
        TableName=audit_table, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "day_shard", "KeyType": "HASH"},
                   {"AttributeName": "event_id", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "day_shard", "AttributeType": "S"},
                              {"AttributeName": "event_id", "AttributeType": "S"}],
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}, DeletionProtectionEnabled=True,
        Tags=[{"Key": "data-classification", "Value": "audit"}])["TableDescription"]["TableArn"]
    db.update_continuous_backups(TableName=audit_table,
                                 PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    ids["audit_table"] = audit_arn

    boundary = iam.create_policy(PolicyName=f"{PREFIX}-region-boundary", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["ap-northeast-1", "ap-northeast-3"]}}}]}))
    ids["boundary"] = boundary["Policy"]["Arn"]
    role = iam.create_role(RoleName=f"{PREFIX}-intake", PermissionsBoundary=ids["boundary"],
                           AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                               "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                               "Action": "sts:AssumeRole"}]}))["Role"]
    iam.put_role_policy(RoleName=role["RoleName"], PolicyName="needs", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["dynamodb:GetItem"],
             "Resource": f"arn:aws:dynamodb:{REGION}:1:table/{table}"},
            {"Effect": "Allow", "Action": ["xray:PutTraceSegments"], "Resource": "*"},
            {"Sid": "AppendAuditEvents", "Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": audit_arn,
             "Condition": {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["????-??-??#?"]},
                           "ForAllValues:StringEquals": {"dynamodb:Attributes": [
                               "day_shard", "event_id", "at", "staff_id", "action", "outcome", "target", "purpose",
                               "request_id", "detail", "pending", "chain", "seq"]},
                           "StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}}}]}))
    ids["role"] = role["RoleName"]
    sealer = iam.create_role(RoleName=f"{PREFIX}-platform-audit-sealer", PermissionsBoundary=ids["boundary"],
                             AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                                 "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                 "Action": "sts:AssumeRole"}]}))["Role"]
    iam.put_role_policy(RoleName=sealer["RoleName"], PolicyName="needs", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Sid": "SealAuditEvents", "Effect": "Allow", "Action": ["dynamodb:UpdateItem"], "Resource": audit_arn,
             "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": [
                 "day_shard", "event_id", "target", "pending", "chain", "seq", "prev_hash", "sealed_at", "hash",
                 "head_seq", "head_hash", "batch"]}}}]}))
    ids["sealer_role"] = sealer["RoleName"]
    db.put_resource_policy(ResourceArn=audit_arn, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": ["dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
                                                        "dynamodb:PartiQLDelete"], "Resource": audit_arn},
        {"Effect": "Deny", "Principal": "*", "Action": "dynamodb:UpdateItem", "Resource": audit_arn,
         "Condition": {"ArnNotEquals": {"aws:PrincipalArn": sealer["Arn"]}}}]}))
    queue = clients.client("sqs").create_queue(QueueName=f"{PREFIX}-intake-dlq",
                                               Attributes={"KmsMasterKeyId": key})["QueueUrl"]
    fn = f"{PREFIX}-intake"
    lam.create_function(FunctionName=fn, Runtime="python3.11", Role=role["Arn"], Handler="handler.handler",
                        Code={"ZipFile": _zip()}, VpcConfig={"SubnetIds": [ids["subnet"]], "SecurityGroupIds": [group]},
                        TracingConfig={"Mode": "Active"}, KMSKeyArn=key,
                        DeadLetterConfig={"TargetArn": f"arn:aws:sqs:{REGION}:123456789012:{queue.rsplit('/', 1)[1]}"})
    lam.put_function_concurrency(FunctionName=fn, ReservedConcurrentExecutions=5)
    logs.create_log_group(logGroupName=f"/aws/lambda/{fn}", kmsKeyId=key)
    logs.put_retention_policy(logGroupName=f"/aws/lambda/{fn}", retentionInDays=400)
    ids["function"] = fn
    clients.client("sns").create_topic(Name=f"{PREFIX}-alerts", Attributes={"KmsMasterKeyId": key})

    api = clients.client("apigateway").create_rest_api(
        name=f"{PREFIX}-counter-api", endpointConfiguration={"types": ["PRIVATE"]},
        policy=json.dumps({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
             "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}},
            {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
             "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}]}))
    ids["api"] = api["id"]

    trail_bucket = f"{PREFIX}-cloudtrail"
    trail = clients.client("cloudtrail")
    trail.create_trail(Name=PREFIX, S3BucketName=trail_bucket, IsMultiRegionTrail=True, EnableLogFileValidation=True,
                       KmsKeyId=key, CloudWatchLogsLogGroupArn=f"arn:aws:logs:{REGION}:123456789012:log-group:t:*",
                       CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/ct")
    trail.put_event_selectors(TrailName=PREFIX, AdvancedEventSelectors=[
        {"Name": "s3", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                          {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]},
        {"Name": "lambda", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
                                              {"Field": "resources.type", "Equals": ["AWS::Lambda::Function"]}]}])
    clients.client("guardduty").create_detector(Enable=True, Features=[
        {"Name": f, "Status": "ENABLED"} for f in ("S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS", "RUNTIME_MONITORING",
                                                   "EBS_MALWARE_PROTECTION")])
    return ids
