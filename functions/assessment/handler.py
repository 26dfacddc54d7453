"""Lambda entry point: the assessment app behind API Gateway REST (v1) proxy events."""

from functions.assessment.routes import ROUTERS
from functions.assessment.workflow import WORKFLOW
from shared.api.lambda_entry import lambda_handler_for

handler = lambda_handler_for(WORKFLOW, ROUTERS)
