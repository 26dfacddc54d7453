"""The local stack's AWS: moto in server mode, with the local-mode speedups (shared/local/moto_speedups.py).

`choju local` runs it in its own process; the benchmark starts it alone with `python -m shared.local.aws_server
--port N`, so its memory and CPU are measured apart from the batch workers."""

from __future__ import annotations

import argparse
import logging
import threading
from typing import Any

from shared.local.moto_speedups import install

__all__ = ["start_aws"]


def start_aws(host: str, port: int) -> Any:
    """Start moto's threaded server with the speedups; returns it (call `.stop()` to end it)."""
    from moto.server import ThreadedMotoServer

    install()
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    start_aws(args.host, args.port)
    threading.Event().wait()


if __name__ == "__main__":
    main()
