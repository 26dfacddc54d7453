"""The local-mode state directory: where `choju local` leaves what the other commands need."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from shared.local.identity import LOCAL_AUDIENCE, LOCAL_ISSUER

DEFAULT_STATE_DIR = Path(".choju/local")
LOCAL_PREFIX = "choju-local"


def default_state_dir() -> Path:
    return Path(os.environ.get("CHOJU_STATE_DIR") or DEFAULT_STATE_DIR)


def local_environment(state_dir: Path, aws_port: int) -> dict[str, str]:
    """The CHOJU_* variables (and moto's fake credentials) that point the code at the embedded AWS."""
    return {
        "CHOJU_MODE": "local",
        "CHOJU_ENDPOINT_URL": f"http://127.0.0.1:{aws_port}",
        "CHOJU_NAME_PREFIX": LOCAL_PREFIX,
        "CHOJU_JWKS": str((state_dir / "jwks.json").resolve()),
        "CHOJU_TOKEN_ISSUER": LOCAL_ISSUER,
        "CHOJU_TOKEN_AUDIENCE": LOCAL_AUDIENCE,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        # Business metrics are CloudWatch embedded-metric lines in Lambda; locally they would only be noise.
        "POWERTOOLS_METRICS_DISABLED": "true",
    }


def write_state(state_dir: Path, environment: dict[str, str], api_url: str) -> None:
    (state_dir / "state.json").write_text(
        json.dumps({"environment": environment, "api_url": api_url, "pid": os.getpid()}, indent=2)
    )


def read_state(state_dir: Path) -> dict[str, Any] | None:
    path = state_dir / "state.json"
    return json.loads(path.read_text()) if path.exists() else None


def clear_state(state_dir: Path) -> None:
    (state_dir / "state.json").unlink(missing_ok=True)
