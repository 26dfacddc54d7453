"""Lambda entry point: the transfer app behind API Gateway REST (v1) proxy events."""

from mangum import Mangum

from functions.transfer.app import build

handler = Mangum(build(), lifespan="off", api_gateway_base_path="/")
