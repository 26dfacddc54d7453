"""Lambda entry point: the collection app behind API Gateway REST (v1) proxy events."""

from functions.collection.routes import ROUTERS
from functions.collection.workflow import WORKFLOW
from shared.api.lambda_entry import lambda_handler_for

handler = lambda_handler_for(WORKFLOW, ROUTERS)
