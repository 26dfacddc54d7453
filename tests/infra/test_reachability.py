"""Counter terminals in the city network reach the private API, and nothing else does (PIA-III-2-g, III-7-c).

A small model of what AWS does with a packet from a terminal: it enters through the transit gateway
attachment's subnets, must be admitted by the security group of the execute-api endpoint, and the answer must
find a route back to the city in the subnets' route table (VPC User Guide, "Security groups" and "Route
tables"; API Gateway Developer Guide, "Invoke a private API")."""

from __future__ import annotations

import ipaddress
import json

import pytest

from infra.mocks import Recorded
from infra.settings import StackConfigError
from policies.access import ALLOW, Request, decide
from tests.infra.conftest import Declared, run_with


def _endpoint(stack: Declared, service: str) -> Recorded:
    return next(r for r in stack.of("ec2/vpcEndpoint:VpcEndpoint") if r.inputs["serviceName"].endswith(f".{service}"))


def _admits(stack: Declared, group_id: str, address: str, port: int) -> bool:
    for rule in stack.of("vpc/securityGroupIngressRule:SecurityGroupIngressRule"):
        inputs = rule.inputs
        if inputs["securityGroupId"] != group_id or not inputs["fromPort"] <= port <= inputs["toPort"]:
            continue
        if "cidrIpv4" in inputs and ipaddress.ip_address(address) in ipaddress.ip_network(inputs["cidrIpv4"]):
            return True
    return False


def _route_back(stack: Declared, subnet_ids: list[str], address: str) -> bool:
    tables = {a.inputs["routeTableId"] for a in stack.of("ec2/routeTableAssociation:RouteTableAssociation")
              if a.inputs["subnetId"] in subnet_ids}
    routes = [r.inputs for r in stack.of("ec2/route:Route") if r.inputs["routeTableId"] in tables]
    propagated = [p for p in stack.of("ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation")
                  if p.inputs["routeTableId"] in tables]
    return bool(propagated) or any(ipaddress.ip_address(address) in ipaddress.ip_network(r["destinationCidrBlock"])
                                   for r in routes)


def reaches_the_api(stack: Declared, terminal: str) -> bool:
    endpoint = _endpoint(stack, "execute-api").inputs
    attachments = stack.of("ec2transitgateway/vpcAttachment:VpcAttachment")
    linked = bool(attachments) or bool(stack.of("ec2/vpnGateway:VpnGateway"))
    in_attached_zones = all(set(endpoint["subnetIds"]) <= set(a.inputs["subnetIds"]) for a in attachments)
    return (linked and in_attached_zones and _route_back(stack, endpoint["subnetIds"], terminal)
            and any(_admits(stack, g, terminal, 443) for g in endpoint["securityGroupIds"]))


def test_a_counter_terminal_reaches_the_api_endpoint(prod: Declared) -> None:
    assert reaches_the_api(prod, "172.16.20.31")


def test_nothing_outside_the_city_networks_reaches_it(prod: Declared) -> None:
    assert not reaches_the_api(prod, "10.99.0.5") and not reaches_the_api(prod, "203.0.113.7")


def test_the_other_endpoints_admit_only_the_functions(prod: Declared) -> None:
    for service in ("kms", "logs", "sqs", "ssm", "sts"):
        groups = _endpoint(prod, service).inputs["securityGroupIds"]
        assert not any(_admits(prod, g, "172.16.20.31", 443) for g in groups), service


def test_without_a_city_link_no_terminal_is_admitted(dev: Declared) -> None:
    assert not reaches_the_api(dev, "172.16.20.31")
    with pytest.raises(StackConfigError, match="need a link"):
        run_with("dev", **{"choju:cityNetwork": {"kind": "none", "cidrs": ["172.16.0.0/16"]}})


def test_the_endpoint_security_group_of_before_would_not_admit_terminals(prod: Declared) -> None:
    """Negative twin: the endpoint behind the workload-only security group (as before) is unreachable."""
    endpoint = _endpoint(prod, "execute-api")
    workload_only = Recorded(endpoint.type, endpoint.name, {**endpoint.inputs,
                                                           "securityGroupIds": ["network-endpoints-id"]},
                             endpoint.provider, endpoint.urn)
    twin = Declared([r if r is not endpoint else workload_only for r in prod.resources])
    assert not reaches_the_api(twin, "172.16.20.31")


@pytest.mark.parametrize("cidrs, message", [
    (["0.0.0.0/1", "128.0.0.0/1"], "not a private network"),
    (["8.8.8.0/24"], "not a private network"),
    (["10.40.1.0/24"], "overlaps the VPC"),
    (["not-a-cidr"], "not a network address"),
])
def test_city_networks_are_private_and_outside_the_vpc(cidrs: list[str], message: str) -> None:
    with pytest.raises(StackConfigError, match=message):
        run_with("prod", **{"choju:cityNetwork": {"kind": "transit-gateway", "transitGatewayId": "tgw-1",
                                                   "cidrs": cidrs}})


def test_terminals_resolve_the_api_through_the_inbound_resolver(prod: Declared) -> None:
    """The city's DNS forwards execute-api names to two addresses in two zones; DNS from the city only."""
    resolver = prod.one("route53/resolverEndpoint:ResolverEndpoint").inputs
    assert resolver["direction"] == "INBOUND" and len(resolver["ipAddresses"]) == 2
    subnets = {s.name + "-id": s.inputs["availabilityZone"] for s in prod.of("ec2/subnet:Subnet")}
    assert len({subnets[a["subnetId"]] for a in resolver["ipAddresses"]}) == 2
    group = resolver["securityGroupIds"][0]
    assert _admits(prod, group, "172.16.0.53", 53) and not _admits(prod, group, "10.99.0.53", 53)
    assert not _admits(prod, group, "172.16.0.53", 443)


def test_the_api_url_is_the_endpoint_alias_terminals_can_use(prod: Declared) -> None:
    """`https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com/{stage}`: the Route 53 alias API Gateway
    creates for an API associated with the endpoint (vpcEndpointIds)."""
    from infra.api import URL_FORMAT

    api = prod.one("apigateway/restApi:RestApi").inputs
    assert api["endpointConfiguration"]["vpcEndpointIds"] == ["network-execute-api-id"]
    assert URL_FORMAT.format(api="a1b2c3", vpce="vpce-0abc", region="ap-northeast-1", stage="v1") == (
        "https://a1b2c3-vpce-0abc.execute-api.ap-northeast-1.amazonaws.com/v1")
    assert prod.one("apigateway/stage:Stage").inputs["stageName"] == "v1"


def test_every_endpoint_has_a_policy_narrower_than_full_access(stack: Declared) -> None:
    account = stack.one("kms/key:Key", "keys-data").inputs["policy"].split("arn:aws:iam::")[1][:12]
    for endpoint in stack.of("ec2/vpcEndpoint:VpcEndpoint"):
        policy = json.loads(endpoint.inputs["policy"])
        service = endpoint.inputs["serviceName"].rsplit(".", 1)[1]
        outsider = Request("s3:GetObject" if service == "s3" else f"{service}:Anything",
                           "arn:aws:s3:::somebody-elses-bucket/x", "arn:aws:iam::999999999999:role/x",
                           {"aws:ResourceAccount": "999999999999", "aws:PrincipalAccount": "999999999999"})
        assert decide([policy], outsider) != ALLOW, service
    api_policy = json.loads(_endpoint(stack, "execute-api").inputs["policy"])
    ours = f"arn:aws:execute-api:ap-northeast-1:{account}:abc123/v1/GET/intake/health"
    assert decide([api_policy], Request("execute-api:Invoke", ours, "anonymous")) == ALLOW
    theirs = "arn:aws:execute-api:ap-northeast-1:999999999999:xyz/v1/GET/x"
    assert decide([api_policy], Request("execute-api:Invoke", theirs, "anonymous")) != ALLOW


def inline_routes_with_separate_routes(resources: list[Recorded]) -> list[str]:
    """Route tables that declare routes in-line while separate routes point at them: on refresh the in-line
    list wins and the separate routes disappear (pulumi-aws RouteTable documentation)."""
    separate = {r.inputs.get("routeTableId") for r in resources if r.type == "aws:ec2/route:Route"}
    return [r.name for r in resources if r.type == "aws:ec2/routeTable:RouteTable" and "routes" in r.inputs
            and f"{r.name}-id" in separate]


def test_the_route_table_has_no_inline_routes(stack: Declared) -> None:
    assert inline_routes_with_separate_routes(stack.resources) == []


def test_inline_routes_beside_a_separate_route_are_caught(prod: Declared) -> None:
    table = prod.one("ec2/routeTable:RouteTable")
    twin = Recorded(table.type, table.name, {**table.inputs, "routes": []}, table.provider, table.urn)
    assert inline_routes_with_separate_routes([r if r is not table else twin for r in prod.resources]) == [table.name]
