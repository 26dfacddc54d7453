"""The one client factory: lazy, cached, and Japan-only (design rule 3, PIA-II-6-a)."""

import ast
from pathlib import Path

import pytest
from botocore.stub import Stubber

from shared.adapters.aws import AwsClients, Call, RegionNotAllowed

ROOT = Path(__file__).resolve().parents[2]


def test_clients_are_created_lazily_and_cached() -> None:
    clients = AwsClients("ap-northeast-1")
    assert clients.created == []
    first = clients.client("dynamodb")
    assert clients.client("dynamodb") is first
    assert clients.created == [("dynamodb", "ap-northeast-1")]


def test_secondary_region_client_is_allowed() -> None:
    assert AwsClients("ap-northeast-1").client("s3", "ap-northeast-3").meta.region_name == "ap-northeast-3"


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-1"])
def test_a_client_outside_japan_is_refused(region: str) -> None:
    with pytest.raises(RegionNotAllowed):
        AwsClients(region)
    with pytest.raises(RegionNotAllowed):
        AwsClients("ap-northeast-1").client("s3", region)


def test_the_endpoint_url_is_used_in_local_mode() -> None:
    client = AwsClients("ap-northeast-1", "http://127.0.0.1:5999").client("s3")
    assert client.meta.endpoint_url == "http://127.0.0.1:5999"


def test_a_recording_keeps_each_call_with_its_parameters_and_region() -> None:
    """What tests/infra/test_roles_cover_calls.py translates into IAM requests: the calls of the block, no others."""
    clients = AwsClients("ap-northeast-1")
    sqs = clients.client("sqs", "ap-northeast-3")
    with Stubber(sqs) as stub:
        for name in ("before", "inside", "nested", "after"):
            stub.add_response("get_queue_url", {"QueueUrl": f"https://q/{name}"}, {"QueueName": name})
        sqs.get_queue_url(QueueName="before")
        with clients.recording() as outer:
            sqs.get_queue_url(QueueName="inside")
            with clients.recording() as inner:
                sqs.get_queue_url(QueueName="nested")
        sqs.get_queue_url(QueueName="after")
    assert outer == [Call("sqs", "GetQueueUrl", {"QueueName": "inside"}, "ap-northeast-3"),
                     Call("sqs", "GetQueueUrl", {"QueueName": "nested"}, "ap-northeast-3")]
    assert inner == [Call("sqs", "GetQueueUrl", {"QueueName": "nested"}, "ap-northeast-3")]


def test_negative_twin_a_closed_recording_keeps_nothing_more() -> None:
    clients = AwsClients("ap-northeast-1")
    sqs = clients.client("sqs")
    with clients.recording() as closed:
        pass
    with Stubber(sqs) as stub:
        stub.add_response("get_queue_url", {"QueueUrl": "https://q/a"}, {"QueueName": "a"})
        sqs.get_queue_url(QueueName="a")
    assert closed == [] and clients._recordings == []


def _creates_clients(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"client",
                                                                                                      "resource"}:
            target = node.func.value
            if isinstance(target, ast.Name) and target.id == "boto3":
                return True
            if isinstance(target, ast.Attribute) and target.attr == "session":
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Session":
            return True
    return False


def test_no_module_but_the_factory_creates_boto3_clients() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("shared", "functions")
        for p in (ROOT / folder).rglob("*.py")
        if p.name != "aws.py" and _creates_clients(p)
    ]
    assert offenders == []


def test_the_scan_catches_a_module_that_creates_its_own_client(tmp_path: Path) -> None:
    rogue = tmp_path / "rogue.py"
    rogue.write_text("import boto3\nclient = boto3.client('s3')\n")
    assert _creates_clients(rogue)
