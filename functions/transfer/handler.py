"""Lambda entry point: the transfer app behind API Gateway REST (v1) proxy events."""

from functions.transfer.routes import ROUTERS
from functions.transfer.workflow import WORKFLOW
from shared.api.lambda_entry import lambda_handler_for

handler = lambda_handler_for(WORKFLOW, ROUTERS)
