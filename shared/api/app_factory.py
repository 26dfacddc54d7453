"""Build the FastAPI app of one or several workflows with the shared guards, error handling and routes.

Lambda wraps one workflow's app with Mangum; local mode builds one app with every workflow. Both come from
`create_app`, so the request path is the same in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI

from shared.api.change_routes import change_router
from shared.api.free_text import FreeTextGuard
from shared.api.middleware import RequestGuards
from shared.api.problems import install_problem_handlers
from shared.api.routing import PROBLEM_SCHEMA, Router
from shared.runtime import Runtime, default_runtime
from shared.workflow import Workflow

__all__ = ["create_app", "health_router"]


def health_router(workflow: str) -> Router:
    router = Router(tags=["health"])

    @router.get(f"/{workflow}/health")
    def health() -> dict[str, str]:
        """Liveness without credentials: says nothing about data."""
        return {"status": "ok", "workflow": workflow}

    return router


def _mount(app: FastAPI, router: Router) -> None:
    """Add a router's routes to the app as they are. `include_router` would build every route a second time
    (a third of a cold start for intake); ours carry their full path and dependencies already."""
    app.router.routes.extend(router.routes)


def _document_problems(app: FastAPI) -> None:
    """The OpenAPI document names the problem schema every route refers to (shared/api/routing.py)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(workflows: Sequence[tuple[Workflow, Sequence[Router]]], runtime: Runtime | None = None,
               title: str = "choju counter API") -> FastAPI:
    runtime = runtime or default_runtime()
    app = FastAPI(title=title, version="0.1.0")
    app.state.runtime = runtime
    install_problem_handlers(app)
    for workflow, routers in workflows:
        mounted = [health_router(workflow.name), *routers]
        if workflow.change_routes:
            mounted.append(change_router(workflow))
        for router in mounted:
            _mount(app, router)
    if len(workflows) > 1:

        @app.get("/health", tags=["health"])
        def health() -> dict[str, object]:
            return {"status": "ok", "workflows": [workflow.name for workflow, _ in workflows]}

    _document_problems(app)
    uploads = tuple(rule for workflow, _ in workflows for rule in workflow.uploads)
    app.add_middleware(FreeTextGuard)  # inside RequestGuards: the body is already bounded and buffered
    app.add_middleware(RequestGuards, max_body_bytes=runtime.settings.max_body_bytes, uploads=uploads)
    return app
