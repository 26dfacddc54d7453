"""The shape of the system, enforced (design.md "The shape"; issue 9):

- a workflow never imports another workflow (they exchange data through declared tables, queues and files);
- `shared/` never imports `functions/`, except local mode and the CLI, and those only through the registry;
- only `shared/adapters/` calls AWS (local mode provisions the embedded AWS in place of Pulumi; the runtime
  wires clients into adapters);
- `shared/` holds no module or folder named after a workflow.

Each rule has a negative twin: the real tree is copied, one violation is planted, and the check must name it.
A violation counts however it is written: absolute or relative imports, `from functions import collection`,
`importlib.import_module("functions.collection…")` or a module path in any other string.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from functions.registry import WORKFLOWS

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW_NAMES = sorted(w.name for w in WORKFLOWS)
AWS_LIBRARIES = ("boto3", "botocore", "aws_encryption_sdk", "moto")
# Where AWS may be called: the adapters, the runtime that hands clients to them, and local mode's bootstrap.
AWS_ALLOWED = ("shared/adapters/", "shared/runtime.py", "shared/local/")
MODULE_PATH = re.compile(r"^(functions|shared)(\.[A-Za-z_][A-Za-z0-9_]*)+(:[A-Za-z_][A-Za-z0-9_.]*)?$")


def _modules(root: Path, folder: str) -> Iterator[tuple[str, Path]]:
    for path in sorted((root / folder).rglob("*.py")):
        yield path.relative_to(root).as_posix(), path


def _module_name(relative: str) -> str:
    parts = relative.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(relative: str, tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every module a file refers to: imports (absolute or relative, resolved) and dotted names in strings."""
    package = _module_name(relative).rsplit(".", 1)[0] if not relative.endswith("__init__.py") \
        else _module_name(relative)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            for alias in node.names:  # `from functions import collection` imports functions.collection
                yield node.lineno, f"{base}.{alias.name}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if MODULE_PATH.match(text):  # "functions.intake.batch:handler", for importlib or a declaration
                yield node.lineno, text.split(":")[0]


def _workflow_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "functions" and parts[1] in WORKFLOW_NAMES else None


def cross_workflow_imports(root: Path) -> list[str]:
    found = []
    for relative, path in _modules(root, "functions"):
        own = _workflow_of(_module_name(relative))
        if own is None:
            continue
        for line, module in _imported(relative, ast.parse(path.read_text())):
            other = _workflow_of(module)
            if other is not None and other != own:
                found.append(f"{relative}:{line} imports {module}")
    return found


def shared_imports_of_functions(root: Path) -> list[str]:
    found = []
    for relative, path in _modules(root, "shared"):
        through_registry = relative.startswith(("shared/local/", "shared/cli/"))
        for line, module in _imported(relative, ast.parse(path.read_text())):
            if module != "functions" and not module.startswith("functions."):
                continue
            if through_registry and (module == "functions.registry" or module.startswith("functions.registry.")):
                continue
            found.append(f"{relative}:{line} imports {module}")
    return found


def aws_calls_outside_adapters(root: Path) -> list[str]:
    """Imports of AWS libraries, client creation and uses of the client factory outside the allowed places."""
    found = []
    for folder in ("shared", "functions"):
        for relative, path in _modules(root, folder):
            if relative.startswith(AWS_ALLOWED):
                continue
            tree = ast.parse(path.read_text())
            for line, module in _imported(relative, tree):
                if module.split(".")[0] in AWS_LIBRARIES:
                    found.append(f"{relative}:{line} imports {module}")
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute) and node.attr in ("clients", "client", "resource"):
                    found.append(f"{relative}:{node.lineno} uses .{node.attr}")
                elif isinstance(node, ast.Constant) and node.value in ("clients", "client"):
                    found.append(f"{relative}:{node.lineno} names '{node.value}'")
    return found


def workflow_names_in_shared(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "shared").rglob("*")
                  if p.stem in WORKFLOW_NAMES and "__pycache__" not in p.parts)


CHECKS = {"cross-workflow": cross_workflow_imports, "shared-to-functions": shared_imports_of_functions,
          "aws-outside-adapters": aws_calls_outside_adapters, "workflow-in-shared": workflow_names_in_shared}


@pytest.mark.parametrize("check", CHECKS)
def test_the_tree_keeps_its_shape(check: str) -> None:
    assert CHECKS[check](ROOT) == []


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    for folder in ("shared", "functions"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


PLANTED = [
    ("cross-workflow", "functions/intake/services/rogue.py", "from functions.collection.routes import ROUTERS\n"),
    ("cross-workflow", "functions/intake/services/rogue.py", "from ...collection import routes\n"),
    ("cross-workflow", "functions/intake/rogue.py", "from functions import deletion\n"),
    ("cross-workflow", "functions/transfer/rogue.py",
     "import importlib\nrules = importlib.import_module('functions.intake.rules.eligibility')\n"),
    ("shared-to-functions", "shared/protection/rogue.py", "from functions.intake.workflow import WORKFLOW\n"),
    ("shared-to-functions", "shared/local/rogue.py", "from functions.intake.batch import daily_reaching_75\n"),
    ("shared-to-functions", "shared/api/rogue.py", "HANDLER = 'functions.intake.batch:on_inbound_file'\n"),
    ("aws-outside-adapters", "functions/intake/services/rogue.py",
     "def put(rt):\n    rt.clients.client('s3').put_object(Bucket='b', Key='k', Body=b'')\n"),
    ("aws-outside-adapters", "functions/intake/routes/rogue.py", "import boto3\n"),
    ("aws-outside-adapters", "shared/protection/rogue.py",
     "def put(rt):\n    return getattr(rt, 'clients')\n"),
    ("workflow-in-shared", "shared/intake/__init__.py", ""),
    ("workflow-in-shared", "shared/domain/collection.py", ""),
]


@pytest.mark.parametrize(("check", "where", "source"), PLANTED, ids=[f"{c}:{w}" for c, w, _ in PLANTED])
def test_a_planted_violation_is_caught(tree_copy: Path, check: str, where: str, source: str) -> None:
    target = tree_copy / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source)
    found = CHECKS[check](tree_copy)
    assert any(f.startswith(where) or where.startswith(f) for f in found), found


def test_the_registry_and_local_mode_may_reach_the_workflows(tree_copy: Path) -> None:
    """The allowed path stays allowed: local mode importing the registry is not a violation."""
    (tree_copy / "shared" / "local" / "allowed.py").write_text("from functions.registry import build_all\n")
    assert shared_imports_of_functions(tree_copy) == []


def _packages(root: Path) -> list[str]:
    return sorted(_module_name(p.relative_to(root).as_posix()) for folder in ("shared", "functions")
                  for p in (root / folder).rglob("__init__.py") if "__pycache__" not in p.parts)


def undeclared_public_apis(root: Path) -> list[str]:
    """Packages whose `__init__` names no public API, or names one that is neither a submodule nor defined (or
    imported: a package such as shared.batch re-exports its API from its modules)."""
    found = []
    for package in _packages(root):
        init = root / package.replace(".", "/") / "__init__.py"
        tree = ast.parse(init.read_text())
        declared = next((node.value for node in tree.body if isinstance(node, ast.Assign)
                         and any(getattr(t, "id", None) == "__all__" for t in node.targets)), None)
        if not isinstance(declared, ast.List | ast.Tuple):
            found.append(f"{package}: no __all__")
            continue
        defined = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                   if isinstance(t, ast.Name)}
        defined |= {a.asname or a.name for node in tree.body if isinstance(node, ast.ImportFrom) for a in node.names}
        for element in declared.elts:
            name = element.value if isinstance(element, ast.Constant) else None
            folder = init.parent
            if name not in defined and not (folder / f"{name}.py").exists() and not (folder / name / "__init__.py") \
                    .exists():
                found.append(f"{package}: {name!r} is neither a submodule nor defined")
    return found


def test_every_package_names_its_public_api() -> None:
    assert undeclared_public_apis(ROOT) == []


def test_the_api_check_catches_a_package_without_one_and_a_stale_name(tree_copy: Path) -> None:
    (tree_copy / "shared" / "batchless").mkdir()
    (tree_copy / "shared" / "batchless" / "__init__.py").write_text('"""No API."""\n')
    (tree_copy / "shared" / "security" / "__init__.py").write_text(
        'from shared.security.tokens import TokenVerifier\n__all__ = ["redaction", "TokenVerifier", "gone"]\n')
    assert undeclared_public_apis(tree_copy) == ["shared.batchless: no __all__",
                                                 "shared.security: 'gone' is neither a submodule nor defined"]
