"""Lambda entry point: the assessment app behind API Gateway REST (v1) proxy events."""

from mangum import Mangum

from functions.assessment.app import build

handler = Mangum(build(), lifespan="off", api_gateway_base_path="/")
