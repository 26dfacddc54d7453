"""`choju local`: moto in server mode, the declared storage, demo data, and the counter API under uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

from shared.config import load_settings
from shared.local.bootstrap import bootstrap_storage
from shared.local.demo_data import seed_demo_data
from shared.local.identity import ensure_keys
from shared.local.state import clear_state, local_environment, write_state
from shared.observability import RedactingTextFormatter
from shared.runtime import Runtime


def _say(message: str) -> None:
    print(message, flush=True)


def _uvicorn_log_config() -> dict:
    """uvicorn's console logs, through the My Number redaction like every other log line."""
    formatter = {"()": RedactingTextFormatter, "fmt": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"redacting": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "redacting", "stream": "ext://sys.stderr"}},
        "loggers": {name: {"handlers": ["console"], "level": "INFO", "propagate": False}
                    for name in ("uvicorn", "uvicorn.error", "uvicorn.access")},
    }


def run_local(state_dir: Path, api_host: str, api_port: int, aws_port: int) -> int:
    import uvicorn

    from functions.registry import batch_handler, build_all
    from shared.local.aws_server import start_aws

    if api_host not in {"127.0.0.1", "localhost", "::1"}:
        _say(f"choju local serves on the loopback interface only, not {api_host!r}")
        return 2
    ensure_keys(state_dir)
    environment = local_environment(state_dir, aws_port)
    os.environ.update(environment)
    settings = load_settings()

    _say(f"choju local: starting the embedded AWS (moto) on 127.0.0.1:{aws_port} …")
    moto = start_aws("127.0.0.1", aws_port)
    try:
        runtime = Runtime(settings)
        _say("choju local: creating the declared tables, buckets and keys …")
        bootstrap_storage(runtime)
        _say("choju local: loading demo data …")
        summary = seed_demo_data(runtime)
        for line in summary:
            _say(f"  {line}")
        run = batch_handler("reaching-75-daily")({}, None, runtime=runtime)
        _say(f"  daily job: {run['people']} people reach 75 next month; {run['queued']} events queued for the 広域連合")
        api_url = f"http://{api_host}:{api_port}"
        write_state(state_dir, environment, api_url)
        _say(
            "\nchoju local is ready.\n"
            f"  API:      {api_url}  (OpenAPI: {api_url}/docs)\n"
            "  Token:    TOKEN=$(.venv/bin/choju dev-token --role counter-clerk)\n"
            f"  Call:     curl -s -H \"Authorization: Bearer $TOKEN\" {api_url}/auth/me\n"
            "  Stop:     Ctrl-C\n"
        )
        uvicorn.run(build_all(runtime), host=api_host, port=api_port, log_config=_uvicorn_log_config())
    finally:
        clear_state(state_dir)
        moto.stop()
        _say("choju local: stopped.")
    return 0

