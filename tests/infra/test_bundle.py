"""The bundles and dependency layer the program builds really run: each function's handler is imported from its
own bundle in a clean interpreter (only the bundle and the layer on the path), from compiled bytecode, and
answers an API Gateway event; no bundle carries another workflow."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from functions.registry import WORKFLOWS
from infra.bundle import WrongPython, build_code, build_layer, compile_tree

NAMES = [w.name for w in WORKFLOWS]

SCRIPT = r"""
import importlib.machinery, json, sys
assert not any("site-packages" in p for p in sys.path), sys.path
compiled_from_source = []
_original = importlib.machinery.SourceFileLoader.source_to_code
def _recording(self, data, path, *args, **kwargs):
    compiled_from_source.append(path)  # only called when no valid bytecode exists
    return _original(self, data, path, *args, **kwargs)
importlib.machinery.SourceFileLoader.source_to_code = _recording
from tests_event import rest_event
workflow = sys.argv[1]
module = __import__(f"functions.{workflow}.handler", fromlist=["handler"])
results = {"health": None, "no-token": None}
response = module.handler(rest_event("GET", f"/{workflow}/health"), None)
results["health"] = [response["statusCode"], json.loads(response["body"])]
missing = module.handler(rest_event("GET", "/auth/me" if workflow == "platform" else f"/{workflow}/changes"), None)
results["no-token"] = [missing["statusCode"], json.loads(missing["body"])["code"]]
results["imported"] = sum(1 for m in list(sys.modules.values())
                          if (getattr(m, "__file__", None) or "").startswith(sys.argv[2]))
results["from_source"] = [p for p in compiled_from_source if p.startswith((sys.argv[2], sys.argv[3]))]
import importlib.util as u
results["absent"] = [n for n in ("moto", "uvicorn", "pulumi", "shared.local", "shared.cli", "functions.registry")
                     if u.find_spec(n) is not None]
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
def layer() -> Path:
    return build_layer("x86_64")


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: build_code(name, tmp_path_factory.mktemp(name) / "code") for name in NAMES}


@pytest.mark.parametrize("workflow", NAMES)
def test_a_bundle_holds_shared_and_its_own_workflow_only(bundles: dict[str, Path], workflow: str) -> None:
    code = bundles[workflow]
    assert (code / "functions" / workflow / "handler.py").exists()
    assert sorted(p.name for p in (code / "functions").iterdir() if p.is_dir() and p.name != "__pycache__") \
        == [workflow]
    assert not (code / "functions" / "registry.py").exists()
    assert not (code / "shared" / "local").exists() and not (code / "shared" / "cli").exists()


@pytest.mark.parametrize("workflow", NAMES)
def test_every_module_of_a_bundle_ships_as_unchecked_hash_bytecode(bundles: dict[str, Path], workflow: str) -> None:
    code = bundles[workflow]
    for source in code.rglob("*.py"):
        cached = Path(importlib.util.cache_from_source(str(source)))
        assert cached.exists(), source
        flags = int.from_bytes(cached.read_bytes()[4:8], "little")
        assert flags == 0b01, f"{cached}: hash-based and unchecked, so a zip's file times cannot make it stale"


def test_a_bundle_is_rebuilt_only_when_its_sources_change(tmp_path: Path) -> None:
    dest = build_code("transfer", tmp_path / "transfer")
    marker = dest / "marker"
    marker.write_text("left by the first build")
    assert build_code("transfer", dest) == dest and marker.exists()  # same sources: reused
    (tmp_path / ".transfer.sha256").write_text("sources of another commit")
    build_code("transfer", dest)
    assert not marker.exists() and (dest / "functions" / "transfer" / "handler.py").exists()


def test_bytecode_is_compiled_only_by_lambdas_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    monkeypatch.setattr(sys, "version_info", (3, 12, 0, "final", 0))
    with pytest.raises(WrongPython, match=r"3\.11"):
        compile_tree(tmp_path)


@pytest.mark.parametrize("workflow", NAMES)
def test_each_handler_answers_from_its_own_bundle_in_a_clean_interpreter(
        bundles: dict[str, Path], layer: Path, workflow: str, tmp_path: Path) -> None:
    code = bundles[workflow]
    (tmp_path / "tests_event.py").write_text(EVENT_HELPER)
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}')
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": os.pathsep.join([str(code), str(layer / "python"),
                                                                             str(tmp_path)]),
           "PYTHONDONTWRITEBYTECODE": "1",
           "CHOJU_JWKS": str(jwks), "CHOJU_TOKEN_ISSUER": "https://idp", "CHOJU_TOKEN_AUDIENCE": "choju",
           "CHOJU_NAME_PREFIX": "choju-bundle", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x",
           "AWS_DEFAULT_REGION": "ap-northeast-1"}
    done = subprocess.run([sys.executable, "-S", "-c", SCRIPT, workflow, str(code), str(layer)], env=env,
                          capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert results["health"] == [200, {"status": "ok", "workflow": workflow}]
    assert results["no-token"] == [401, "missing-token"]
    assert results["imported"] > 10 and results["from_source"] == []
    assert results["absent"] == []
