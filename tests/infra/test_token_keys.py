"""The API functions verify tokens with keys held inside the account (an SSM parameter read through the VPC's
SSM endpoint), never by calling the identity provider, which the closed network cannot reach (PIA-III-3-c,
PIA-III-2-g)."""

from __future__ import annotations

from tests.infra.conftest import Declared


def _parameter(stack: Declared) -> str:
    return stack.one("ssm/parameter:Parameter").inputs["name"]


def test_the_key_set_parameter_belongs_to_the_sync_command(stack: Declared) -> None:
    parameter = stack.one("ssm/parameter:Parameter")
    assert parameter.inputs["type"] == "String" and parameter.inputs["name"].endswith("/idp-jwks")
    assert set(parameter.ignore_changes) >= {"value"}  # `pulumi up` never rolls back a rotation


def test_api_functions_read_the_key_set_from_ssm_and_nothing_calls_the_provider(stack: Declared) -> None:
    name = _parameter(stack)
    for fn in stack.of("lambda/function:Function"):
        env = fn.inputs["environment"]["variables"]
        assert env["CHOJU_JWKS"] == f"ssm:{name}"
        assert not any(str(v).startswith("https://") and "jwks" in str(v) for v in env.values())


def test_only_api_roles_may_read_the_key_set(stack: Declared) -> None:
    from infra.workloads import deployed_functions

    name = _parameter(stack)
    api_labels = {f.label for f in deployed_functions() if f.job is None}
    for policy in stack.of("iam/rolePolicy:RolePolicy"):
        label = policy.name.removeprefix("workloads-")
        if not policy.name.startswith("workloads-"):
            continue
        reads = [s for s in stack.policy(policy)["Statement"] if "ssm:GetParameter" in s["Action"]
                 and any(str(r).endswith(f"parameter{name}") for r in _as_list(s["Resource"]))]
        assert bool(reads) == (label in api_labels), label


def test_the_ssm_endpoint_answers_inside_the_vpc(stack: Declared) -> None:
    """boto3's default SSM host name resolves to the interface endpoint (private DNS), which admits the
    functions' security group."""
    endpoint = next(e for e in stack.of("ec2/vpcEndpoint:VpcEndpoint") if e.inputs["serviceName"].endswith(".ssm"))
    assert endpoint.inputs["privateDnsEnabled"] is True
    assert endpoint.inputs["securityGroupIds"] == ["network-endpoints-id"]
    rule = next(r for r in stack.of("vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                if r.inputs["securityGroupId"] == "network-endpoints-id")
    assert rule.inputs["referencedSecurityGroupId"] == "network-workload-id"


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]
