"""Each workflow's Lambda entry point answers a real-shaped API Gateway REST (v1) proxy event."""

from __future__ import annotations

import importlib
import json
import sys
from types import SimpleNamespace

import pytest

from functions.registry import WORKFLOWS as DECLARED
from shared import runtime as runtime_module
from shared.local.bootstrap import bootstrap_storage
from shared.local.demo_data import seed_demo_data
from tests.conftest import env_for

WORKFLOWS = [w.name for w in DECLARED]


def rest_event(method: str, path: str, headers: dict[str, str] | None = None, body: str | None = None) -> dict:
    headers = {"Host": "abc123.execute-api.ap-northeast-1.amazonaws.com", "x-amzn-vpce-id": "vpce-0a1b2c",
               **(headers or {})}
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourceId": "r1", "resourcePath": "/{proxy+}", "httpMethod": method, "path": f"/prod{path}",
            "accountId": "123456789012", "apiId": "abc123", "stage": "prod", "protocol": "HTTP/1.1",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "requestTimeEpoch": 1764100000000,
            "identity": {"sourceIp": "10.20.0.15", "vpceId": "vpce-0a1b2c", "userAgent": "counter-terminal/1.0"},
        },
        "body": body,
        "isBase64Encoded": False,
    }


CONTEXT = SimpleNamespace(aws_request_id="lambda-req-1", function_name="choju-intake", memory_limit_in_mb=512,
                          invoked_function_arn="arn:aws:lambda:ap-northeast-1:123456789012:function:choju-intake",
                          get_remaining_time_in_millis=lambda: 30000)


@pytest.fixture
def handler_env(aws, state_dir, monkeypatch, clock):
    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(runtime_module, "_default", None)
    rt = runtime_module.default_runtime()
    bootstrap_storage(rt)
    seed_demo_data(rt)
    for name in [m for m in sys.modules if m.startswith("functions.") and m.endswith(".handler")]:
        del sys.modules[name]
    yield
    monkeypatch.setattr(runtime_module, "_default", None)


@pytest.mark.parametrize("workflow", WORKFLOWS)
def test_health_answers_through_the_handler(handler_env, workflow: str) -> None:
    handler = importlib.import_module(f"functions.{workflow}.handler").handler
    response = handler(rest_event("GET", f"/{workflow}/health"), CONTEXT)
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"status": "ok", "workflow": workflow}
    # API Gateway's request id is the one the system uses (logs, problems, audit).
    assert response["multiValueHeaders"].get("x-request-id", [None])[0] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef" \
        or response["headers"].get("x-request-id") == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


@pytest.mark.parametrize(("workflow", "path"), [("platform", "/auth/me"), ("intake", "/intake/kouiki-queue")])
def test_a_request_without_a_token_is_401_problem_json(handler_env, workflow: str, path: str) -> None:
    handler = importlib.import_module(f"functions.{workflow}.handler").handler
    response = handler(rest_event("GET", path), CONTEXT)
    assert response["statusCode"] == 401
    assert json.loads(response["body"])["code"] == "missing-token"


def test_an_authenticated_request_and_a_forbidden_one(handler_env, token_for) -> None:
    handler = importlib.import_module("functions.platform.handler").handler
    clerk = {"Authorization": f"Bearer {token_for('S1001')}"}
    me = handler(rest_event("GET", "/auth/me", clerk), CONTEXT)
    assert me["statusCode"] == 200 and json.loads(me["body"])["staff_id"] == "S1001"
    forbidden = handler(rest_event("GET", "/audit/records", clerk), CONTEXT)
    assert forbidden["statusCode"] == 403
    deletion = importlib.import_module("functions.deletion.handler").handler
    auditor = {"Authorization": f"Bearer {token_for('S1007')}"}
    assert deletion(rest_event("GET", "/deletion/changes", clerk), CONTEXT)["statusCode"] == 200
    assert deletion(rest_event("GET", "/deletion/changes", auditor), CONTEXT)["statusCode"] == 403


def test_a_workflow_function_does_not_serve_the_platform_routes(handler_env, token_for) -> None:
    """/auth, /audit and /staff belong to the platform function and its role alone."""
    handler = importlib.import_module("functions.intake.handler").handler
    operator = {"Authorization": f"Bearer {token_for('S1008')}"}
    for path in ("/auth/me", "/audit/records", "/staff"):
        assert handler(rest_event("GET", path, operator), CONTEXT)["statusCode"] == 404, path


def test_a_malformed_body_through_the_handler_is_400(handler_env, token_for) -> None:
    handler = importlib.import_module("functions.platform.handler").handler
    headers = {"Authorization": f"Bearer {token_for('S1007')}", "Content-Type": "application/json"}
    response = handler(rest_event("POST", "/audit/search", headers, body="{oops"), CONTEXT)
    assert response["statusCode"] == 400 and json.loads(response["body"])["code"] == "malformed-json"


def test_function_code_imports_nothing_from_infra_policies_moto_or_uvicorn() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    forbidden = ("infra", "policies", "moto", "uvicorn", "pulumi", "shared.local", "shared.cli")
    offenders = []
    for folder in ("functions", "shared"):
        for path in (root / folder).rglob("*.py"):
            if path.is_relative_to(root / "shared" / "local") or path.is_relative_to(root / "shared" / "cli"):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                offenders += [f"{path.relative_to(root)}: {n}" for n in names
                              if any(n == f or n.startswith(f + ".") for f in forbidden)]
    assert offenders == []
