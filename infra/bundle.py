"""Build what the Lambda functions run: the code bundle and a dependency layer from the project's pinned
dependency ranges. The layer is cached by its inputs, so only a change of dependencies rebuilds it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / ".choju" / "build"
# Never shipped to a function: local mode, operator CLI, tests and infrastructure code.
EXCLUDED = ("shared/local", "shared/cli", "__pycache__")
PLATFORMS = {"x86_64": "manylinux2014_x86_64", "arm64": "manylinux2014_aarch64"}


def runtime_dependencies() -> list[str]:
    return list(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])


def build_code(dest: Path | None = None) -> Path:
    """shared/ and functions/ as the function code, without local-mode and operator modules."""
    dest = dest or BUILD / "code"
    if dest.exists():
        shutil.rmtree(dest)
    for package in ("shared", "functions"):
        shutil.copytree(ROOT / package, dest / package, ignore=_ignore)
    return dest


def _ignore(directory: str, names: list[str]) -> set[str]:
    relative = Path(directory).relative_to(ROOT).as_posix()
    return {n for n in names if n == "__pycache__" or f"{relative}/{n}" in EXCLUDED or n.endswith(".pyc")}


def build_layer(architecture: str = "x86_64", cache: Path | None = None, quiet: bool = True) -> Path:
    """pip-install the runtime dependencies for Lambda's Python 3.11 on `architecture` into <layer>/python."""
    dependencies = runtime_dependencies()
    digest = hashlib.sha256("\n".join([architecture, *dependencies]).encode()).hexdigest()[:16]
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
    (layer / ".complete").write_text(digest)
    return layer
