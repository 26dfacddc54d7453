"""The intake workflow's FastAPI app."""

from fastapi import FastAPI

from functions.intake import notifications, persons, ryoyohi, subject_requests
from functions.intake.routes import router
from shared.api.app_factory import create_app
from shared.api.change_routes import change_router
from shared.runtime import Runtime

WORKFLOW = "intake"
ROUTERS = (router, persons.router, notifications.router, ryoyohi.router, subject_requests.router,
           change_router(WORKFLOW))


def build(runtime: Runtime | None = None) -> FastAPI:
    return create_app([(WORKFLOW, ROUTERS)], runtime, title="choju intake API")
