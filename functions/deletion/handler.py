"""Lambda entry point: the deletion app behind API Gateway REST (v1) proxy events."""

from functions.deletion.routes import ROUTERS
from functions.deletion.workflow import WORKFLOW
from shared.api.lambda_entry import lambda_handler_for

handler = lambda_handler_for(WORKFLOW, ROUTERS)
