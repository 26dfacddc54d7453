"""The Lambda bundle and dependency layer the program builds really run: each handler is imported from them
in a clean interpreter (no project venv on the path) and answers an API Gateway event."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.bundle import build_code, build_layer
from shared.workloads import WORKFLOWS

SCRIPT = r"""
import json, sys
assert not any("site-packages" in p and ".venv" in p for p in sys.path), sys.path
from tests_event import rest_event
results = {}
for workflow in WORKFLOWS:
    module = __import__(f"functions.{workflow}.handler", fromlist=["handler"])
    response = module.handler(rest_event("GET", f"/{workflow}/health"), None)
    results[workflow] = [response["statusCode"], json.loads(response["body"])]
missing = module.handler(rest_event("GET", "/auth/me"), None)
results["no-token"] = [missing["statusCode"], json.loads(missing["body"])["code"]]
import boto3, shared, moto_absent_check
print(json.dumps(results))
"""

EVENT_HELPER = '''
def rest_event(method, path):
    return {"resource": "/{proxy+}", "path": path, "httpMethod": method, "headers": {"Host": "x"},
            "multiValueHeaders": {"Host": ["x"]}, "queryStringParameters": None,
            "multiValueQueryStringParameters": None, "pathParameters": {"proxy": path}, "stageVariables": None,
            "requestContext": {"requestId": "bundle-test", "stage": "v1", "httpMethod": method, "path": path,
                               "resourcePath": "/{proxy+}", "identity": {"sourceIp": "10.0.0.1"}},
            "body": None, "isBase64Encoded": False}
'''


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> tuple[Path, Path]:
    return build_code(tmp_path_factory.mktemp("code")), build_layer("x86_64")


def test_the_bundle_leaves_out_local_mode_and_operator_code(bundle) -> None:
    code, _ = bundle
    assert (code / "functions" / "intake" / "handler.py").exists()
    assert not (code / "shared" / "local").exists() and not (code / "shared" / "cli").exists()
    assert not list(code.rglob("__pycache__"))


def test_each_handler_answers_from_the_bundle_in_a_clean_interpreter(bundle, tmp_path: Path) -> None:
    code, layer = bundle
    (tmp_path / "tests_event.py").write_text(EVENT_HELPER)
    (tmp_path / "moto_absent_check.py").write_text(
        "import importlib.util\nassert importlib.util.find_spec('moto') is None\n"
        "assert importlib.util.find_spec('uvicorn') is None\nassert importlib.util.find_spec('pulumi') is None\n")
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}')
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": os.pathsep.join([str(code), str(layer / "python"),
                                                                             str(tmp_path)]),
           "CHOJU_JWKS": str(jwks), "CHOJU_TOKEN_ISSUER": "https://idp", "CHOJU_TOKEN_AUDIENCE": "choju",
           "CHOJU_NAME_PREFIX": "choju-bundle", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x",
           "AWS_DEFAULT_REGION": "ap-northeast-1"}
    script = f"WORKFLOWS = {list(WORKFLOWS)!r}\n" + SCRIPT
    done = subprocess.run([sys.executable, "-S", "-c", script], env=env, capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    for workflow in WORKFLOWS:
        assert results[workflow] == [200, {"status": "ok", "workflow": workflow}]
    assert results["no-token"] == [401, "missing-token"]
