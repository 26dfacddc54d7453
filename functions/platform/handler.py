"""Lambda entry point: the platform app (/auth, /audit, /staff) behind API Gateway REST (v1) proxy events."""

from functions.platform.routes import ROUTERS
from functions.platform.workflow import WORKFLOW
from shared.api.lambda_entry import lambda_handler_for

handler = lambda_handler_for(WORKFLOW, ROUTERS)
