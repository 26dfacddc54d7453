"""Run the Pulumi program in-process under `pulumi.runtime.set_mocks` and record every resource's inputs
in the engine's (camelCase) shape. Used by the tests, the policy pack's self-check and `choju controls`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "123456789012"


@dataclass(frozen=True)
class Recorded:
    type: str
    name: str
    inputs: dict[str, Any]
    provider: str | None
    urn: str


def _arn(typ: str, name: str, inputs: dict[str, Any]) -> str:
    service = typ.split(":")[1].split("/")[0]
    region = "ap-northeast-3" if "osaka" in name else "ap-northeast-1"
    if service == "s3":
        return f"arn:aws:s3:::{inputs.get('bucket', name)}"
    if service == "iam":
        return f"arn:aws:iam::{ACCOUNT}:{typ.split('/')[1].split(':')[0]}/{inputs.get('name', name)}"
    if typ == "aws:dynamodb/table:Table":  # as AWS names it, so policies can be matched to the table they grant
        return f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{inputs.get('name', name)}"
    return f"arn:aws:{service}:{region}:{ACCOUNT}:{name}"


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[Recorded] = []
        self.stack: Any = None  # the infra.program.Stack the program built

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        arn = _arn(args.typ, args.name, state)
        state.setdefault("arn", arn)
        extra = {
            "aws:apigateway/restApi:RestApi": {"rootResourceId": "root1", "executionArn":
                                               f"arn:aws:execute-api:ap-northeast-1:{ACCOUNT}:api1"},
            "aws:lambda/function:Function": {"invokeArn": f"{arn}/invocations"},
            "aws:ec2/vpcEndpoint:VpcEndpoint": {"prefixListId": f"pl-{args.name}"},
            "aws:kms/key:Key": {"keyId": f"key-{args.name}"},
            "aws:lambda/layerVersion:LayerVersion": {"arn": f"{arn}:1"},
        }.get(args.typ, {})
        state.update(extra)
        self.resources.append(Recorded(args.typ, args.name, dict(args.inputs), args.provider, args.name))
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/ops", "userId": "AIDA", "id": ACCOUNT}
        return {}


def stack_config(stack: str) -> dict[str, Any]:
    """The example stack file's config (Pulumi.<stack>.yaml)."""
    return dict(yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"])


def run_program(stack: str, config: dict[str, Any] | None = None) -> list[Recorded]:
    """Run infra.program under mocks with this stack's config (or the one given); return what it declared."""
    return run_program_with_stack(stack, config).resources


def run_program_with_stack(stack: str, config: dict[str, Any] | None = None,
                           after: Any = None) -> RecordingMocks:
    """As run_program, keeping the built Stack; `after(stack)` may declare more resources (test variants)."""
    from infra.program import build
    from infra.settings import load

    values = stack_config(stack) if config is None else config
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="choju", stack=stack, preview=False)
    pulumi.runtime.set_all_config({k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()})

    @pulumi.runtime.test
    def program() -> pulumi.Output[int]:
        mocks.stack = build(load(stack))
        if after is not None:
            after(mocks.stack)
        return pulumi.Output.from_input(1)

    program()
    return mocks
