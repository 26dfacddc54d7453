"""Build a workflow's FastAPI app with the shared guards, error handling and routes.

Lambda wraps one workflow's app with Mangum; local mode builds one app with all workflows. Both come from
`create_app`, so the request path is the same in both.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, FastAPI

from shared.api import common_routes, staff_routes
from shared.api.middleware import RequestGuards
from shared.api.uploads import UPLOADS
from shared.api.problems import install_problem_handlers
from shared.runtime import Runtime, default_runtime


def health_router(workflow: str) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get(f"/{workflow}/health")
    def health() -> dict[str, str]:
        """Liveness without credentials: says nothing about data."""
        return {"status": "ok", "workflow": workflow}

    return router


def create_app(
    workflows: Sequence[tuple[str, Sequence[APIRouter]]],
    runtime: Runtime | None = None,
    title: str = "choju counter API",
) -> FastAPI:
    runtime = runtime or default_runtime()
    app = FastAPI(title=title, version="0.1.0")
    app.state.runtime = runtime
    install_problem_handlers(app)
    app.include_router(common_routes.router)
    app.include_router(staff_routes.router)
    for workflow, routers in workflows:
        app.include_router(health_router(workflow))
        for router in routers:
            app.include_router(router)
    if len(workflows) > 1:

        @app.get("/health", tags=["health"])
        def health() -> dict[str, object]:
            return {"status": "ok", "workflows": [name for name, _ in workflows]}

    app.add_middleware(RequestGuards, max_body_bytes=runtime.settings.max_body_bytes, uploads=UPLOADS)
    return app
