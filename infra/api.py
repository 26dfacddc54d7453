"""The private REST API: reachable only through this VPC's execute-api endpoint (PIA-III-2-g, III-7-c).

BLEA's sample API is regional and public; this one is PRIVATE, bound to the endpoint, and its resource policy
denies every call that does not come through it."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from functions.registry import WORKFLOWS
from infra.documents import assume_role, json_output
from infra.log_groups import encrypted_log_group
from infra.settings import StackSettings

ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId", "ip": "$context.identity.sourceIp", "vpce": "$context.identity.vpceId",
    "requestTime": "$context.requestTime", "httpMethod": "$context.httpMethod", "resourcePath": "$context.resourcePath",
    "status": "$context.status", "responseLength": "$context.responseLength",
    "integrationLatency": "$context.integrationLatency",
}


STAGE = "v1"
URL_FORMAT = "https://{api}-{vpce}.execute-api.{region}.amazonaws.com/{stage}"


def private_api_policy(endpoint_id: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "InvokeThroughTheVpcEndpoint", "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
         "Resource": "execute-api:/*", "Condition": {"StringEquals": {"aws:SourceVpce": endpoint_id}}},
        {"Sid": "DenyEverythingElse", "Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
         "Resource": "execute-api:/*", "Condition": {"StringNotEquals": {"aws:SourceVpce": endpoint_id}}},
    ]}


class PrivateApi(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, account_id: Any, endpoint_id: Any,
                 functions: dict[str, aws.lambda_.Function], logs_key_arn: pulumi.Input[str],
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:api:PrivateApi", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.api = aws.apigateway.RestApi(
            f"{name}-api", name=f"{settings.name_prefix}-counter-api", description="choju counter API (private)",
            endpoint_configuration={"types": "PRIVATE", "vpc_endpoint_ids": [endpoint_id]},
            disable_execute_api_endpoint=False, policy=json_output(private_api_policy(endpoint_id)),
            tags=settings.tags, opts=child)
        integrations = []
        routes = {prefix: workflow.name for workflow in WORKFLOWS for prefix in workflow.api_prefixes}
        for path, workflow in routes.items():
            function = functions[workflow]
            top = aws.apigateway.Resource(f"{name}-{path}", rest_api=self.api.id, parent_id=self.api.root_resource_id,
                                          path_part=path, opts=child)
            proxy = aws.apigateway.Resource(f"{name}-{path}-proxy", rest_api=self.api.id, parent_id=top.id,
                                            path_part="{proxy+}", opts=child)
            method = aws.apigateway.Method(f"{name}-{path}-any", rest_api=self.api.id, resource_id=proxy.id,
                                           http_method="ANY", authorization="NONE", opts=child)
            integrations.append(aws.apigateway.Integration(
                f"{name}-{path}-lambda", rest_api=self.api.id, resource_id=proxy.id, http_method=method.http_method,
                integration_http_method="POST", type="AWS_PROXY", uri=function.invoke_arn, opts=child))
        for workflow in (w.name for w in WORKFLOWS):
            aws.lambda_.Permission(f"{name}-{workflow}-invoke", action="lambda:InvokeFunction",
                                   function=functions[workflow].name, principal="apigateway.amazonaws.com",
                                   source_arn=pulumi.Output.concat(self.api.execution_arn, "/*/*/*"),
                                   source_account=account_id, opts=child)
        deployment = aws.apigateway.Deployment(
            f"{name}-deployment", rest_api=self.api.id,
            triggers={"routes": ",".join(sorted(routes))},
            opts=pulumi.ResourceOptions(parent=self, depends_on=integrations))
        self._account_logging(name, settings, account_id, child)
        access_logs = encrypted_log_group(f"{name}-access", f"/choju/{settings.name_prefix}/api-access", settings,
                                          logs_key_arn, child)
        self.stage = aws.apigateway.Stage(
            f"{name}-stage", rest_api=self.api.id, deployment=deployment.id, stage_name=STAGE,
            xray_tracing_enabled=True,
            access_log_settings={"destination_arn": access_logs.arn, "format": json_output(ACCESS_LOG_FORMAT)},
            tags=settings.tags, opts=child)
        # Execution logs go to a group API Gateway would otherwise create on first use, without a key and kept
        # forever; it is created first, under the logs key and the stack's retention (API Gateway Developer Guide,
        # "Set up CloudWatch logging": API-Gateway-Execution-Logs_{rest-api-id}/{stage-name}).
        execution_logs = encrypted_log_group(
            f"{name}-execution", pulumi.Output.concat("API-Gateway-Execution-Logs_", self.api.id, "/", STAGE),
            settings, logs_key_arn, child)
        aws.apigateway.MethodSettings(f"{name}-settings", rest_api=self.api.id, stage_name=self.stage.stage_name,
                                      method_path="*/*", settings={
                                          "logging_level": "INFO", "metrics_enabled": True,
                                          "data_trace_enabled": False,  # bodies may hold My Numbers
                                          "throttling_rate_limit": settings.api_throttle_rate,
                                          "throttling_burst_limit": settings.api_throttle_burst},
                                      opts=pulumi.ResourceOptions(parent=self, depends_on=[execution_logs]))
        # The Route 53 alias API Gateway publishes for a private API associated with the endpoint
        # (vpcEndpointIds): resolvable by the city's DNS to the endpoint's private addresses (API Gateway Developer
        # Guide, "Invoke a private API"; docs/operators.md, counter-terminal DNS).
        self.url = pulumi.Output.all(self.api.id, endpoint_id).apply(
            lambda ids: URL_FORMAT.format(api=ids[0], vpce=ids[1], region=settings.region, stage=STAGE))
        self.register_outputs({"api_id": self.api.id, "url": self.url})

    def _account_logging(self, name: str, settings: StackSettings, account_id: Any,
                         child: pulumi.ResourceOptions) -> None:
        """Execution logging needs the account-level CloudWatch role of API Gateway."""
        role = aws.iam.Role(f"{name}-cloudwatch", assume_role_policy=json_output(
            assume_role("apigateway.amazonaws.com", account_id)), tags=settings.tags, opts=child)
        aws.iam.RolePolicyAttachment(f"{name}-cloudwatch", role=role.name, policy_arn=(
            "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"), opts=child)
        aws.apigateway.Account(f"{name}-account", cloudwatch_role_arn=role.arn, opts=child)
