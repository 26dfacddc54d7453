"""Modules loaded on first use, so that a Lambda cold start pays only for what its first request touches.

`lazy_module("shared.adapters.sessions")` returns the module at once but executes it only when an attribute is
first read (importlib's LazyLoader). Import what annotations need under `TYPE_CHECKING`; read classes through the
module at call time (`sessions.SessionStore`).
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

__all__ = ["lazy_module"]


def lazy_module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"no module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
