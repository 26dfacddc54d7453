"""Logs, traces and business metrics from powertools, one instance each per process.

Logs are JSON lines that never carry a My Number: the redaction runs on the final formatted line, so it also
covers exception text, extra keys and messages built by libraries. Traces (X-Ray) cover every handler and the
AWS calls it makes. Metrics are the business counts a reviewer would chart (notifications taken, changes
confirmed, rows imported), written as CloudWatch embedded metrics when the handler returns.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from shared.security.redaction import redact_my_numbers

if TYPE_CHECKING:
    from aws_lambda_powertools import Metrics, Tracer

__all__ = ["METRICS_NAMESPACE", "SERVICE", "RedactingFormatter", "RedactingTextFormatter", "count", "get_logger",
           "get_metrics", "get_tracer", "instrumented"]

SERVICE = "choju"
METRICS_NAMESPACE = "choju"


class RedactingFormatter(LambdaPowertoolsFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact_my_numbers(super().format(record))


class RedactingTextFormatter(logging.Formatter):
    """For plain-text handlers (uvicorn's console in local mode)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_my_numbers(super().format(record))


@cache
def get_logger() -> Logger:
    """The process-wide choju logger, created on first use."""
    return Logger(service=SERVICE, logger_formatter=RedactingFormatter(), use_rfc3339=True)


@cache
def get_tracer() -> Tracer:
    """X-Ray tracing of handlers and of boto3 calls; off outside Lambda (powertools decides)."""
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE, patch_modules=("botocore",))


@cache
def get_metrics() -> Metrics:
    from aws_lambda_powertools import Metrics

    return Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)


def count(metric: str, value: int = 1) -> None:
    """Add to a business count (CloudWatch metric `choju/<metric>`, unit Count) of this invocation."""
    from aws_lambda_powertools.metrics import MetricUnit

    if value:
        get_metrics().add_metric(name=metric, unit=MetricUnit.Count, value=value)


def instrumented(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a Lambda handler: one trace per invocation, and the business counts flushed when it returns.

    The tracer (and the X-Ray SDK it patches into botocore) is set up on the first invocation rather than at
    import, which keeps it out of the import phase of a cold start. Responses and errors are kept out of the
    trace: they may hold personal data (design rule 5)."""

    def invoke(event: Any, context: Any, **kwargs: Any) -> Any:
        return handler(event, context, **kwargs)

    invoke.__name__ = getattr(handler, "__name__", type(handler).__name__)
    traced: list[Callable[..., Any]] = []

    @functools.wraps(invoke)
    def run(event: Any, context: Any, **kwargs: Any) -> Any:
        if not traced:
            traced.append(get_tracer().capture_lambda_handler(invoke, capture_response=False, capture_error=False))
        try:
            return traced[0](event, context, **kwargs)
        finally:
            metrics = get_metrics()
            if metrics.metric_set:
                metrics.flush_metrics()

    return run
