"""Wrap a workflow app for API Gateway REST (v1) proxy events."""

from fastapi import FastAPI
from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

from shared.api.problems import PROBLEM_JSON


def lambda_handler_for(app: FastAPI) -> Mangum:
    # problem+json is text: without this Mangum would base64-encode every error body.
    return Mangum(app, lifespan="off", api_gateway_base_path="/",
                  text_mime_types=[*DEFAULT_TEXT_MIME_TYPES, PROBLEM_JSON])
