"""Run the Pulumi program in-process under `pulumi.runtime.set_mocks` and record every resource's inputs
in the engine's (camelCase) shape. Used by the tests, the policy pack's self-check and `choju controls`.

Besides the inputs, the recording monitor keeps what the engine itself is told at registration: explicit
`depends_on`, property dependencies, parent, provider reference, retain-on-delete and ignore-changes. Mocks
cannot tell whether AWS accepts a deployment, but they can show that the program declares the ordering AWS
needs (a function after its role's policy, replication after versioning).

`preview=True` emulates `pulumi preview` of a first deployment: a new resource's outputs that are not its
inputs (ids, ARNs) are unknown, so everything computed from them is unknown too, exactly as the engine sends
them to a policy pack (the raw properties keep the engine's unknown sentinels).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pulumi
import yaml
from google.protobuf import json_format
from pulumi.runtime.mocks import MockMonitor

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Recorded:
    type: str
    name: str
    inputs: dict[str, Any]
    provider: str | None
    urn: str
    # What the engine is told besides the inputs (filled in by RecordingMonitor).
    engine_urn: str = ""
    parent: str = ""
    dependencies: tuple[str, ...] = ()  # URNs of explicit and implicit dependencies
    property_dependencies: dict[str, tuple[str, ...]] = field(default_factory=dict)
    retain_on_delete: bool = False
    ignore_changes: tuple[str, ...] = ()
    import_id: str = ""
    raw: dict[str, Any] = field(default_factory=dict)  # the inputs as sent on the wire (unknown sentinels kept)

    def depends_on(self, other: Recorded) -> bool:
        """Whether the engine will create `other` before this resource."""
        return other.engine_urn in self.dependencies or any(
            other.engine_urn in urns for urns in self.property_dependencies.values())


@dataclass(frozen=True)
class _Registration:
    urn: str
    parent: str
    dependencies: tuple[str, ...]
    property_dependencies: dict[str, tuple[str, ...]]
    retain_on_delete: bool
    ignore_changes: tuple[str, ...]
    import_id: str
    raw: dict[str, Any]


class RecordingMonitor(MockMonitor):
    """The mock monitor, keeping each registration's dependencies and options."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: dict[tuple[str, str], _Registration] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (the gRPC method's name)
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.registrations[(request.type, request.name)] = _Registration(
                urn=response.urn, parent=request.parent, dependencies=tuple(request.dependencies),
                property_dependencies={k: tuple(v.urns) for k, v in request.propertyDependencies.items()},
                retain_on_delete=bool(request.retainOnDelete) if request.HasField("retainOnDelete") else False,
                ignore_changes=tuple(request.ignoreChanges), import_id=request.importId,
                raw=json_format.MessageToDict(request.object))
        return response


def _arn(typ: str, name: str, inputs: dict[str, Any], account: str) -> str:
    service = typ.split(":")[1].split("/")[0]
    region = "ap-northeast-3" if "osaka" in name else "ap-northeast-1"
    if service == "s3":
        return f"arn:aws:s3:::{inputs.get('bucket', name)}"
    if service == "iam":
        return f"arn:aws:iam::{account}:{typ.split('/')[1].split(':')[0]}/{inputs.get('name', name)}"
    if typ == "aws:dynamodb/table:Table":  # as AWS names it, so policies can be matched to the table they grant
        return f"arn:aws:dynamodb:{region}:{account}:table/{inputs.get('name', name)}"
    return f"arn:aws:{service}:{region}:{account}:{name}"


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self, preview: bool = False, account: str = ACCOUNT, deployer: str | None = None,
                 existing: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.resources: list[Recorded] = []
        # (type, name) of resources an earlier `pulumi up` created: at preview their outputs are known (the
        # foundation stage's keys and network, docs/operators.md).
        self.existing = existing
        self.stack: Any = None  # the infra.program.Stack the program built
        self.preview = preview
        self.account = account
        # The role the operator deploys as (the documented practice: the My Number key's administrator).
        self.deployer = deployer or f"arn:aws:iam::{account}:role/deployer"
        self.calls: list[str] = []
        self.concurrency_quota = 1000  # the account's Lambda concurrent-executions quota (Service Quotas)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(Recorded(args.typ, args.name, dict(args.inputs), args.provider, args.name))
        if self.preview and (args.typ, args.name) not in self.existing:
            # A first deployment: only the inputs are known; the id and every computed output are unknown.
            return "", dict(args.inputs)
        state = dict(args.inputs)
        arn = _arn(args.typ, args.name, state, self.account)
        state.setdefault("arn", arn)
        extra = {
            "aws:apigateway/restApi:RestApi": {"rootResourceId": "root1", "executionArn":
                                               f"arn:aws:execute-api:ap-northeast-1:{self.account}:api1"},
            "aws:lambda/function:Function": {"invokeArn": f"{arn}/invocations"},
            "aws:ec2/vpcEndpoint:VpcEndpoint": {"prefixListId": f"pl-{args.name}"},
            "aws:kms/key:Key": {"keyId": f"key-{args.name}"},
            "aws:lambda/layerVersion:LayerVersion": {"arn": f"{arn}:1"},
        }.get(args.typ, {})
        state.update(extra)
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        self.calls.append(args.token)
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            role = self.deployer.rsplit("/", 1)[1]
            return {"accountId": self.account, "arn": f"arn:aws:sts::{self.account}:assumed-role/{role}/ops",
                    "userId": "AROA:ops", "id": self.account}
        if args.token == "aws:iam/getSessionContext:getSessionContext":
            return {"arn": args.args.get("arn", ""), "issuerArn": self.deployer, "issuerId": "AROA",
                    "issuerName": self.deployer.rsplit("/", 1)[1], "sessionName": "ops", "id": "ctx"}
        if args.token == "aws:servicequotas/getServiceQuota:getServiceQuota":
            return {"value": float(self.concurrency_quota), "adjustable": True, "id": "quota"}
        return {}


def stack_config(stack: str) -> dict[str, Any]:
    """The example stack file's config (Pulumi.<stack>.yaml)."""
    return dict(yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"])


def run_program(stack: str, config: dict[str, Any] | None = None) -> list[Recorded]:
    """Run infra.program under mocks with this stack's config (or the one given); return what it declared."""
    return run_program_with_stack(stack, config).resources


def account_of(values: dict[str, Any]) -> str:
    """The account the mocks impersonate: the stack's first allowed account, else the documentation account."""
    allowed = values.get("aws:allowedAccountIds")
    if isinstance(allowed, str):
        allowed = json.loads(allowed)
    return str(allowed[0]) if allowed else ACCOUNT


def run_program_with_stack(stack: str, config: dict[str, Any] | None = None,
                           after: Any = None, preview: bool = False, deployer: str | None = None,
                           existing: frozenset[tuple[str, str]] = frozenset()) -> RecordingMocks:
    """As run_program, keeping the built Stack; `after(stack)` may declare more resources (test variants).
    With `preview`, emulate the preview of a deployment in which only the `existing` resources (type, name)
    were created before (none: a first deployment; every other output unknown). The mocks deploy as
    `deployer` (default: the stack's key administrator, as docs/operators.md asks)."""
    from infra.program import build
    from infra.settings import load

    values = stack_config(stack) if config is None else config
    mocks = RecordingMocks(preview=preview, account=account_of(values),
                           deployer=deployer or values.get("choju:keyAdminRoleArn"), existing=existing)
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="choju", stack=stack, preview=preview, monitor=monitor)
    pulumi.runtime.set_all_config({k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()})

    @pulumi.runtime.test
    def program() -> pulumi.Output[int]:
        mocks.stack = build(load(stack))
        if after is not None:
            after(mocks.stack)
        return pulumi.Output.from_input(1)

    program()
    registered = monitor.registrations
    mocks.resources = [_with_registration(r, registered.get((r.type, r.name))) for r in mocks.resources]
    return mocks


def _with_registration(recorded: Recorded, registration: _Registration | None) -> Recorded:
    if registration is None:
        return recorded
    return replace(recorded, engine_urn=registration.urn, parent=registration.parent,
                   dependencies=registration.dependencies, property_dependencies=registration.property_dependencies,
                   retain_on_delete=registration.retain_on_delete, ignore_changes=registration.ignore_changes,
                   import_id=registration.import_id, raw=registration.raw)


def foundation_resources(stack: str, config: dict[str, Any] | None = None) -> frozenset[tuple[str, str]]:
    """(type, name) of what `pulumi up` creates with `choju:stage: foundation` (the first of a new stack's two)."""
    values = {**(stack_config(stack) if config is None else config), "choju:stage": "foundation"}
    return frozenset((r.type, r.name) for r in run_program_with_stack(stack, values).resources)
