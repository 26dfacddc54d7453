"""Lambda entry point: the jobs app behind API Gateway REST (v1) proxy events."""

from functions.jobs.routes import ROUTERS
from functions.jobs.workflow import WORKFLOW
from shared.api.lambda_entry import lambda_handler_for

handler = lambda_handler_for(WORKFLOW, ROUTERS)
