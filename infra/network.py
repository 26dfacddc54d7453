"""A closed VPC: isolated subnets in three zones, no internet path, endpoints for every AWS API used,
flow logs for all traffic (PIA-III-2-g, III-7-c, III-7-d). Mirrors BLEA's networking construct minus its
public and NAT subnets."""

from __future__ import annotations

import ipaddress
from typing import Any

import pulumi
import pulumi_aws as aws

from infra.documents import json_output
from infra.log_groups import encrypted_log_group, role_writing_to
from infra.settings import StackSettings

GATEWAY_SERVICES = ("s3", "dynamodb")
INTERFACE_SERVICES = ("execute-api", "kms", "logs", "sts", "sqs", "monitoring", "xray", "ssm")
# Services whose endpoint policies can be limited to this account's resources (aws:ResourceAccount).
ACCOUNT_SCOPED = frozenset({"s3", "dynamodb", "kms", "logs", "sqs", "ssm", "sts"})
# Services whose calls name no resource (CloudWatch metrics, X-Ray segments): limited to this account's
# principals and to the calls the functions make.
PRINCIPAL_SCOPED = {"monitoring": ["cloudwatch:PutMetricData"],
                    "xray": ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                             "xray:GetSamplingTargets"]}


def account_only_policy(account_id: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "ThisAccountsResourcesOnly", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceAccount": account_id}}}]}


def endpoint_policy(service: str, region: str, account_id: Any) -> dict[str, Any]:
    """Every endpoint carries a policy narrower than the default full access (PIA-III-7-d)."""
    if service in PRINCIPAL_SCOPED:
        return {"Version": "2012-10-17", "Statement": [{
            "Sid": "ThisAccountsPrincipalsOnly", "Effect": "Allow", "Principal": "*",
            "Action": PRINCIPAL_SCOPED[service], "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalAccount": account_id}}}]}
    if service == "execute-api":
        # Callers of the private API are anonymous to IAM (bearer tokens): scope by resource, i.e. only this
        # account's APIs in this region (API Gateway Developer Guide, "VPC endpoint policies for private APIs").
        return {"Version": "2012-10-17", "Statement": [{
            "Sid": "ThisAccountsApisOnly", "Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
            "Resource": pulumi.Output.concat("arn:aws:execute-api:", region, ":", account_id, ":*")}]}
    return account_only_policy(account_id)


class Network(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, account_id: Any, logs_key_arn: pulumi.Input[str],
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:network:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = settings.tags
        self.vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=settings.vpc_cidr, enable_dns_hostnames=True,
                               enable_dns_support=True, tags={**tags, "Name": f"{settings.name_prefix}-vpc"},
                               opts=child)
        # The default security group of the VPC keeps no rules at all (CIS 5.4).
        aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=self.vpc.id, ingress=[], egress=[], tags=tags,
                                     opts=child)
        cidrs = list(ipaddress.ip_network(settings.vpc_cidr).subnets(new_prefix=20))
        # No in-line `routes`: a route table that declares its routes in-line owns all of them, so a refresh or an
        # update would remove the separate route to the city (and propagated VPN routes). Routes are resources.
        self.route_table = aws.ec2.RouteTable(f"{name}-isolated", vpc_id=self.vpc.id,
                                              tags={**tags, "Name": f"{settings.name_prefix}-isolated"}, opts=child)
        self.subnets = []
        for index, zone in enumerate(settings.availability_zones):
            subnet = aws.ec2.Subnet(f"{name}-isolated-{zone[-1]}", vpc_id=self.vpc.id, cidr_block=str(cidrs[index]),
                                    availability_zone=zone, map_public_ip_on_launch=False,
                                    assign_ipv6_address_on_creation=False,
                                    tags={**tags, "Name": f"{settings.name_prefix}-isolated-{zone[-1]}",
                                          "choju:tier": "isolated"}, opts=child)
            aws.ec2.RouteTableAssociation(f"{name}-isolated-{zone[-1]}", subnet_id=subnet.id,
                                          route_table_id=self.route_table.id, opts=child)
            self.subnets.append(subnet)
        self.subnet_ids = [s.id for s in self.subnets]

        self.workload_sg = aws.ec2.SecurityGroup(f"{name}-workload", vpc_id=self.vpc.id,
                                                 description="choju Lambda functions: no inbound; HTTPS to endpoints",
                                                 tags={**tags, "Name": f"{settings.name_prefix}-workload"}, opts=child)
        self.endpoint_sg = aws.ec2.SecurityGroup(f"{name}-endpoints", vpc_id=self.vpc.id,
                                                 description="choju interface endpoints: HTTPS from the workload only",
                                                 tags={**tags, "Name": f"{settings.name_prefix}-endpoints"},
                                                 opts=child)
        aws.vpc.SecurityGroupIngressRule(f"{name}-endpoints-from-workload", security_group_id=self.endpoint_sg.id,
                                         referenced_security_group_id=self.workload_sg.id, ip_protocol="tcp",
                                         from_port=443, to_port=443, description="HTTPS from choju functions",
                                         opts=child)
        aws.vpc.SecurityGroupEgressRule(f"{name}-workload-to-endpoints", security_group_id=self.workload_sg.id,
                                        referenced_security_group_id=self.endpoint_sg.id, ip_protocol="tcp",
                                        from_port=443, to_port=443, description="HTTPS to interface endpoints",
                                        opts=child)

        # The execute-api endpoint is what counter terminals reach from the city network (HTTPS from the
        # stack's cityNetwork CIDRs); the other endpoints serve only the functions.
        self.api_endpoint_sg = aws.ec2.SecurityGroup(
            f"{name}-api-endpoint", vpc_id=self.vpc.id,
            description="choju execute-api endpoint: HTTPS from the city's counter network only",
            tags={**tags, "Name": f"{settings.name_prefix}-api-endpoint"}, opts=child)
        for index, cidr in enumerate(settings.city_network.cidrs):
            aws.vpc.SecurityGroupIngressRule(f"{name}-api-from-city-{index}", security_group_id=self.api_endpoint_sg.id,
                                             cidr_ipv4=cidr, ip_protocol="tcp", from_port=443, to_port=443,
                                             description="HTTPS from the city's counter terminals", opts=child)
        self.endpoints: dict[str, aws.ec2.VpcEndpoint] = {}
        for service in GATEWAY_SERVICES:
            endpoint = aws.ec2.VpcEndpoint(
                f"{name}-{service}", vpc_id=self.vpc.id, service_name=f"com.amazonaws.{settings.region}.{service}",
                vpc_endpoint_type="Gateway", route_table_ids=[self.route_table.id],
                policy=json_output(endpoint_policy(service, settings.region, account_id)),
                tags={**tags, "Name": f"{settings.name_prefix}-{service}"}, opts=child)
            aws.vpc.SecurityGroupEgressRule(f"{name}-workload-to-{service}", security_group_id=self.workload_sg.id,
                                            prefix_list_id=endpoint.prefix_list_id, ip_protocol="tcp", from_port=443,
                                            to_port=443, description=f"HTTPS to the {service} gateway endpoint",
                                            opts=child)
            self.endpoints[service] = endpoint
        for service in INTERFACE_SERVICES:
            self.endpoints[service] = aws.ec2.VpcEndpoint(
                f"{name}-{service}", vpc_id=self.vpc.id, service_name=f"com.amazonaws.{settings.region}.{service}",
                vpc_endpoint_type="Interface", private_dns_enabled=True, subnet_ids=self.subnet_ids,
                security_group_ids=[self.api_endpoint_sg.id if service == "execute-api" else self.endpoint_sg.id],
                policy=json_output(endpoint_policy(service, settings.region, account_id)),
                tags={**tags, "Name": f"{settings.name_prefix}-{service}"}, opts=child)

        self._flow_logs(name, settings, logs_key_arn, account_id, child)
        self._city_network(name, settings, child)
        self.resolver_inbound = self._resolver_inbound(name, settings, child) if settings.city_network.resolver \
            else None
        self.register_outputs({"vpc_id": self.vpc.id, "subnet_ids": self.subnet_ids,
                               "execute_api_endpoint_id": self.endpoints["execute-api"].id})

    def _flow_logs(self, name: str, settings: StackSettings, key_arn: pulumi.Input[str], account_id: Any,
                   child: pulumi.ResourceOptions) -> None:
        group = encrypted_log_group(f"{name}-flow-logs", f"/choju/{settings.name_prefix}/vpc-flow-logs", settings,
                                    key_arn, child)
        role = role_writing_to(f"{name}-flow-logs", "vpc-flow-logs.amazonaws.com", group, settings, account_id, child)
        aws.ec2.FlowLog(f"{name}-flow-log", vpc_id=self.vpc.id, traffic_type="ALL",
                        log_destination_type="cloud-watch-logs", log_destination=group.arn, iam_role_arn=role.arn,
                        max_aggregation_interval=60, tags=settings.tags, opts=child)

    def _city_network(self, name: str, settings: StackSettings, child: pulumi.ResourceOptions) -> None:
        """Optional private link to the city network; routes only to the city's own CIDRs."""
        city = settings.city_network
        if city.kind == "transit-gateway":
            attachment = aws.ec2transitgateway.VpcAttachment(
                f"{name}-city-tgw", transit_gateway_id=city.transit_gateway_id, vpc_id=self.vpc.id,
                subnet_ids=self.subnet_ids, tags=settings.tags, opts=child)
            for index, cidr in enumerate(city.cidrs):
                aws.ec2.Route(f"{name}-city-{index}", route_table_id=self.route_table.id, destination_cidr_block=cidr,
                              transit_gateway_id=city.transit_gateway_id,
                              opts=pulumi.ResourceOptions(parent=self, depends_on=[attachment]))
        elif city.kind == "vpn-gateway":
            # Propagated routes appear in the table without a resource; the table declares no in-line routes, so
            # Pulumi never removes them.
            gateway = aws.ec2.VpnGateway(f"{name}-city-vgw", vpc_id=self.vpc.id, tags=settings.tags, opts=child)
            aws.ec2.VpnGatewayRoutePropagation(f"{name}-city-vgw", vpn_gateway_id=gateway.id,
                                               route_table_id=self.route_table.id, opts=child)

    def _resolver_inbound(self, name: str, settings: StackSettings,
                          child: pulumi.ResourceOptions) -> aws.route53.ResolverEndpoint:
        """A Route 53 Resolver inbound endpoint, so the city's DNS servers can forward
        `execute-api.ap-northeast-1.amazonaws.com` here and terminals resolve the private API to the endpoint's
        addresses (Route 53 Developer Guide, "Forwarding inbound DNS queries to your VPCs")."""
        group = aws.ec2.SecurityGroup(f"{name}-resolver-inbound", vpc_id=self.vpc.id,
                                      description="choju resolver inbound endpoint: DNS from the city's networks only",
                                      tags={**settings.tags, "Name": f"{settings.name_prefix}-resolver-inbound"},
                                      opts=child)
        for index, cidr in enumerate(settings.city_network.cidrs):
            for protocol in ("udp", "tcp"):
                aws.vpc.SecurityGroupIngressRule(f"{name}-dns-{protocol}-from-city-{index}",
                                                 security_group_id=group.id, cidr_ipv4=cidr, ip_protocol=protocol,
                                                 from_port=53, to_port=53, description="DNS from the city's resolvers",
                                                 opts=child)
        return aws.route53.ResolverEndpoint(
            f"{name}-resolver-inbound", name=f"{settings.name_prefix}-inbound", direction="INBOUND",
            security_group_ids=[group.id], ip_addresses=[{"subnet_id": s} for s in self.subnet_ids[:2]],
            protocols=["Do53"], tags=settings.tags, opts=child)
