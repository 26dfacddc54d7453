"""docs/api-errors.md lists every problem code the code can return, and nothing else (issue 18 item 9).

The codes are read from the source, not from a list kept by hand: `code = "…"` in error classes, `code=` keyword
arguments, the code argument of `Problem(…)`, of the auth refusals and of `TokenRejected(…)`, the codes of the
request guards, and the codes the validation handler maps pydantic errors to. A new code without a line in the
document fails the test; so does a documented code nothing returns.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "api-errors.md"
# Calls whose argument at this position is a problem code.
CODE_ARGUMENT = {"Problem": 1, "_refuse": 2, "TokenRejected": 0, "_send_problem": 2, "problem_body": 1,
                 "problem_response": 1, "_invalid": 1}
CODE_SHAPE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$|^[a-z]+$")


def _name(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def codes_in_source(root: Path) -> set[str]:
    found: set[str] = set()
    for folder in ("shared", "functions"):
        for path in (root / folder).rglob("*.py"):
            if path.is_relative_to(root / "shared" / "local") or path.is_relative_to(root / "shared" / "cli"):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Assign) and any((_name(t) or "").lower().endswith("code")
                                                        for t in node.targets):
                    found.add(_literal(node.value) or "")
                elif isinstance(node, ast.Call):
                    position = CODE_ARGUMENT.get(_name(node.func) or "")
                    if position is not None and len(node.args) > position:
                        found.add(_literal(node.args[position]) or "")
                    found.update(_literal(k.value) or "" for k in node.keywords if k.arg == "code")
                elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[1], ast.Constant):
                    # ("bad-request", "Bad request"): the HTTP-status and validation mappings of problems.py
                    code, title = _literal(node.elts[0]), _literal(node.elts[1])
                    if code and title and path.name == "problems.py" and CODE_SHAPE.match(code):
                        found.add(code)
    return {c for c in found if c and CODE_SHAPE.match(c)}


def documented_codes(doc: Path) -> set[str]:
    codes = set()
    for line in doc.read_text().splitlines():
        cells = line.split("|")
        if len(cells) > 3 and (cells[1].strip().isdigit() or cells[1].strip() == "any"):
            codes.update(re.findall(r"`([a-z0-9-]+)`", cells[2]))
    return codes


def test_every_code_the_code_returns_is_documented_and_no_other() -> None:
    in_source, in_doc = codes_in_source(ROOT), documented_codes(DOC)
    assert sorted(in_source - in_doc) == [], "undocumented codes: add them to docs/api-errors.md"
    assert sorted(in_doc - in_source) == [], "documented codes nothing returns"


@pytest.mark.parametrize("planted", [
    'from shared.api.problems import Problem\n\ndef f():\n    raise Problem(409, "brand-new-clash", "Clash")\n',
    'from shared.domain.errors import Invalid\n\nclass Odd(Invalid):\n    code = "odd-request"\n',
    'from shared.domain.errors import Conflict\n\ndef f():\n    raise Conflict("x", code="late-arrival")\n',
])
def test_a_new_undocumented_code_is_caught(tmp_path: Path, planted: str) -> None:
    for folder in ("shared", "functions"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "functions" / "intake" / "planted.py").write_text(planted)
    new = codes_in_source(tmp_path) - documented_codes(DOC)
    assert len(new) == 1 and new <= {"brand-new-clash", "odd-request", "late-arrival"}
