"""Structured JSON logs (powertools Logger) that never carry a My Number.

The redaction runs on the final formatted line, so it also covers exception text, extra keys and messages
built by libraries; every handler of the choju logger and of the root logger uses it.
"""

from __future__ import annotations

import logging

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from shared.security.redaction import redact_my_numbers

SERVICE = "choju"


class RedactingFormatter(LambdaPowertoolsFormatter):
    def format(self, record: logging.LogRecord) -> str:  # noqa: A003 - logging API name
        return redact_my_numbers(super().format(record))


class RedactingTextFormatter(logging.Formatter):
    """For plain-text handlers (uvicorn's console in local mode)."""

    def format(self, record: logging.LogRecord) -> str:  # noqa: A003
        return redact_my_numbers(super().format(record))


_logger: Logger | None = None


def get_logger() -> Logger:
    """The process-wide choju logger, created on first use."""
    global _logger
    if _logger is None:
        _logger = Logger(service=SERVICE, logger_formatter=RedactingFormatter(), use_rfc3339=True)
    return _logger
