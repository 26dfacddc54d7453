"""Build what the Lambda functions run: one code bundle per function and a dependency layer.

A bundle is `shared/` (without local mode and the operator CLI) plus the function's own workflow folder, so no
function carries another workflow's code. Bundles and layer ship compiled bytecode: Lambda's file system is
read-only, so without it every cold start compiles every module again (about twice the import time). The
bytecode is compiled by this interpreter, which must be the runtime's Python 3.11, and is hash-based and
unchecked (PEP 552): zip archives keep file times only to two seconds, which would make timestamp-checked
bytecode look stale and be ignored. The layer is cached by its inputs, so only a change of dependencies
rebuilds it.
"""

from __future__ import annotations

import compileall
import hashlib
import py_compile
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / ".choju" / "build"
# Never shipped to a function: local mode, operator CLI, tests and infrastructure code.
EXCLUDED = ("shared/local", "shared/cli")
PLATFORMS = {"x86_64": "manylinux2014_x86_64", "arm64": "manylinux2014_aarch64"}
LAMBDA_PYTHON = (3, 11)
# Part of the layer's cache key: bump when the way the layer is built changes.
LAYER_RECIPE = "bytecode-unchecked-hash-1"


class WrongPython(RuntimeError):
    """Bytecode is specific to a Python minor version: it must be compiled by the runtime's own."""


def runtime_dependencies() -> list[str]:
    return list(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])


def compile_tree(path: Path) -> None:
    """Compile every module under `path` for Lambda's Python, as hash-based bytecode it never re-checks."""
    if sys.version_info[:2] != LAMBDA_PYTHON:
        raise WrongPython(f"bundles are compiled for Lambda's python{'.'.join(map(str, LAMBDA_PYTHON))}; "
                          f"this is python{sys.version_info[0]}.{sys.version_info[1]}")
    ok = compileall.compile_dir(str(path), quiet=2, force=True, workers=0,
                                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    if not ok:
        raise RuntimeError(f"some modules under {path} do not compile")


def _sources(workflow: str) -> list[Path]:
    """Every file a workflow's bundle is made of, in a stable order."""
    files = [ROOT / "functions" / "__init__.py"]
    for folder in (ROOT / "shared", ROOT / "functions" / workflow):
        files += sorted(p for p in folder.rglob("*") if p.is_file() and not _ignored(p))
    return files


def _ignored(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return "__pycache__" in path.parts or path.suffix == ".pyc" or relative.startswith(tuple(f"{e}/" for e in EXCLUDED))


def _digest(files: list[Path]) -> str:
    digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_code(workflow: str, dest: Path | None = None) -> Path:
    """The bundle of one workflow's function: shared/ and functions/<workflow>/, compiled. A bundle built from
    the same sources is reused (its digest is kept beside it), so `pulumi preview` rebuilds only what changed."""
    source = ROOT / "functions" / workflow
    if not (source / "handler.py").is_file():
        raise ValueError(f"no workflow {workflow!r} with a handler under functions/")
    dest = dest or BUILD / "code" / workflow
    files = _sources(workflow)
    digest = _digest(files)
    stamp = dest.parent / f".{dest.name}.sha256"
    if dest.exists() and stamp.exists() and stamp.read_text() == digest:
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    for path in files:
        relative = path.relative_to(ROOT)
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest / relative)
    compile_tree(dest)
    stamp.write_text(digest)
    return dest


def build_layer(architecture: str = "x86_64", cache: Path | None = None, quiet: bool = True) -> Path:
    """pip-install the runtime dependencies for Lambda's Python 3.11 on `architecture` into <layer>/python."""
    dependencies = runtime_dependencies()
    digest = hashlib.sha256("\n".join([architecture, LAYER_RECIPE, *dependencies]).encode()).hexdigest()[:16]
    layer = (cache or BUILD / "layers") / f"{architecture}-{digest}"
    if (layer / ".complete").exists():
        return layer
    if layer.exists():
        shutil.rmtree(layer)
    print(f"building the dependency layer for {architecture} (once per dependency change) …", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet" if quiet else "--progress-bar=on",
                    "--target", str(layer / "python"), "--platform", PLATFORMS[architecture],
                    "--implementation", "cp", "--python-version", "3.11", "--only-binary=:all:",
                    "--no-compile", *dependencies], check=True)
    compile_tree(layer / "python")
    (layer / ".complete").write_text(digest)
    return layer
