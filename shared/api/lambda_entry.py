"""A workflow's Lambda entry point: its app behind API Gateway REST (v1) proxy events, traced and measured."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter
from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

from shared.api.app_factory import create_app
from shared.api.problems import PROBLEM_JSON
from shared.observability import instrumented
from shared.workflow import Workflow

__all__ = ["lambda_handler_for"]


def lambda_handler_for(workflow: Workflow, routers: Sequence[APIRouter]) -> Callable[[Any, Any], Any]:
    """Build the app once per cold start (settings are validated here) and wrap it for Lambda."""
    app = create_app([(workflow, routers)], title=f"choju {workflow.name} API")
    # problem+json is text: without this Mangum would base64-encode every error body.
    mangum = Mangum(app, lifespan="off", api_gateway_base_path="/",
                    text_mime_types=[*DEFAULT_TEXT_MIME_TYPES, PROBLEM_JSON])
    return instrumented(mangum)
