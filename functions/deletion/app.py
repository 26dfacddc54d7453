"""The deletion workflow's FastAPI app."""

from fastapi import FastAPI

from functions.deletion.routes import router
from shared.api.app_factory import create_app
from shared.api.change_routes import change_router
from shared.runtime import Runtime

WORKFLOW = "deletion"
ROUTERS = (router, change_router(WORKFLOW))


def build(runtime: Runtime | None = None) -> FastAPI:
    return create_app([(WORKFLOW, ROUTERS)], runtime, title="choju deletion API")
