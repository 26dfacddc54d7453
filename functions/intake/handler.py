"""Lambda entry point: the intake app behind API Gateway REST (v1) proxy events."""

from functions.intake.routes import ROUTERS
from functions.intake.workflow import WORKFLOW
from shared.api.lambda_entry import lambda_handler_for

handler = lambda_handler_for(WORKFLOW, ROUTERS)
