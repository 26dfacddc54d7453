"""Evasions: a way to break what a control protects while the control stays green. Each closed class has its
compliant twin (still passing) and its evading case (now caught) (issue 17, "The controls must block, and must
not be evadable")."""

from __future__ import annotations

import json

import pytest

from tests.policies.engine_args import resource_args, violations_of

J = json.dumps
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def _policy(statement: dict) -> dict:
    return {"policy": J({"Version": "2012-10-17", "Statement": [statement]})}


@pytest.mark.parametrize("statement", [
    {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"},  # everything but IAM, on everything
    {"Effect": "Allow", "NotAction": "kms:ScheduleKeyDeletion", "Resource": "arn:aws:dynamodb:*:*:table/x"},
    {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "NotResource": "arn:aws:dynamodb:*:*:table/x"},
], ids=["NotAction on every resource", "NotAction on one table", "NotResource"])
def test_a_grant_by_exclusion_is_caught(statement: dict) -> None:
    found = violations_of("aws-iam-policy-no-wildcard-action", resource_args(ROLE_POLICY, _policy(statement)))
    assert found and "Not" in found[0]


def test_a_deny_by_exclusion_stays_allowed() -> None:
    """The twin: a Deny with NotAction narrows (the region boundary is written that way)."""
    deny = {"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["ap-northeast-1"]}}}
    assert violations_of("aws-iam-policy-no-wildcard-action", resource_args(ROLE_POLICY, _policy(deny))) == []


@pytest.mark.parametrize("type_, props", [
    ("aws:apigatewayv2/api:Api", {"protocolType": "HTTP", "name": "side-door"}),
    ("aws:apigatewayv2/api:Api", {"protocolType": "WEBSOCKET", "name": "side-door"}),
    ("aws:cloudfront/distribution:Distribution", {"enabled": True}),
    ("aws:lb/loadBalancer:LoadBalancer", {"loadBalancerType": "application"}),
    ("aws:lb/loadBalancer:LoadBalancer", {"internal": False}),
    ("aws:apigateway/domainName:DomainName", {"domainName": "api.city.example",
                                               "endpointConfiguration": {"types": "REGIONAL"}}),
], ids=["HTTP API", "WebSocket API", "CloudFront", "load balancer (default)", "internet-facing load balancer",
        "regional custom domain"])
def test_a_public_front_door_before_a_function_is_caught(type_: str, props: dict) -> None:
    assert violations_of("aws-apigateway-restapi-private", resource_args(type_, props))


@pytest.mark.parametrize("type_, props", [
    ("aws:lb/loadBalancer:LoadBalancer", {"internal": True}),
    ("aws:apigateway/domainName:DomainName", {"domainName": "api.city.example",
                                               "endpointConfiguration": {"types": "PRIVATE"}}),
], ids=["internal load balancer", "private custom domain"])
def test_a_private_front_door_stays_allowed(type_: str, props: dict) -> None:
    assert violations_of("aws-apigateway-restapi-private", resource_args(type_, props)) == []
