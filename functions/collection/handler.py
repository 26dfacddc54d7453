"""Lambda entry point: the collection app behind API Gateway REST (v1) proxy events."""

from functions.collection.app import build
from shared.api.lambda_entry import lambda_handler_for

handler = lambda_handler_for(build())
