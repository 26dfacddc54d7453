"""Evaluate every control of the catalog over a stack's resources (from Pulumi mocks or the policy pack)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pulumi_policy.proxy import UnknownValueError

from policies.catalog import CONTROLS, Control
from policies.model import Res


@dataclass
class ControlResult:
    control: Control
    status: str = "pass"  # "pass" | "fail" | "undecidable"
    findings: list[tuple[str, str]] = field(default_factory=list)  # (resource, message)
    resources: list[str] = field(default_factory=list)  # resources the control looked at

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def evaluate_control(control: Control, resources: list[Res]) -> ControlResult:
    result = ControlResult(control)
    try:
        if control.resource_check:
            for res in resources:
                messages = control.resource_check(res)
                if messages or _relevant(control, res):
                    result.resources.append(res.name)
                result.findings += [(res.name, m) for m in messages]
        if control.stack_check:
            result.findings += control.stack_check(resources)
            result.resources = sorted({name for name, _ in result.findings}) or ["stack"]
    except UnknownValueError as unknown:
        result.status = "undecidable"
        result.findings.append(("?", f"cannot decide: {unknown.message}"))
        return result
    result.status = "fail" if result.findings else "pass"
    return result


def _relevant(control: Control, res: Res) -> bool:
    """Whether the resource is of a kind the control inspects (for the report's 'resources involved')."""
    kinds = {
        "aws-ec2-subnet-no-public-ip": ("aws:ec2/subnet:Subnet",),
        "aws-ec2-route-no-default": ("aws:ec2/route:Route", "aws:ec2/routeTable:RouteTable"),
        "aws-ec2-securitygroup-no-open-ingress": ("aws:ec2/securityGroup:SecurityGroup",
                                                  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        "aws-ec2-default-securitygroup-closed": ("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",),
        "aws-apigateway-restapi-private": ("aws:apigateway/restApi:RestApi", "aws:apigatewayv2/api:Api",
                                           "aws:apigateway/domainName:DomainName"),
        "aws-lambda-function-no-public-access": ("aws:lambda/permission:Permission",),
        "aws-dynamodb-table-cmk": ("aws:dynamodb/table:Table",),
        "aws-dynamodb-table-pitr": ("aws:dynamodb/table:Table",),
        "aws-dynamodb-table-deletion-protection": ("aws:dynamodb/table:Table",),
        "aws-kms-key-rotation": ("aws:kms/key:Key",),
        "aws-kms-key-policy-restricted": ("aws:kms/key:Key",),
        "aws-cloudwatch-loggroup-kms-retention": ("aws:cloudwatch/logGroup:LogGroup",),
        "aws-sns-topic-encrypted": ("aws:sns/topic:Topic",),
        "aws-sqs-queue-encrypted": ("aws:sqs/queue:Queue",),
        "aws-provider-region-japan": ("pulumi:providers:aws",),
    }
    if control.id.startswith("aws-lambda-function-") and res.type == "aws:lambda/function:Function":
        return True
    if control.id.startswith("aws-iam-policy") and res.type in ("aws:iam/rolePolicy:RolePolicy",
                                                                "aws:iam/policy:Policy"):
        return True
    if control.id == "aws-storage-data-classification-tag":
        from policies.pre_checks import STORAGE_TYPES

        return res.type in STORAGE_TYPES
    return res.type in kinds.get(control.id, ())


def evaluate_all(resources: list[Res]) -> list[ControlResult]:
    return [evaluate_control(control, resources) for control in CONTROLS]


def from_recorded(recorded: list) -> list[Res]:  # type: ignore[type-arg]
    """Resources recorded by infra.mocks, in the checks' shape (provider region from the provider's URN)."""
    providers = {r.name: r.inputs.get("region") for r in recorded if r.type == "pulumi:providers:aws"}
    out = []
    for r in recorded:
        region = None
        if r.provider:
            name = r.provider.split("::")[-2] if "::" in r.provider else ""
            region = providers.get(name)
        out.append(Res(r.type, r.name, r.inputs, urn=r.urn, provider_region=region))
    return out
