"""All workflows, for local mode's single server and for the tests that sweep every route."""

from fastapi import FastAPI

from functions.assessment.app import ROUTERS as ASSESSMENT
from functions.collection.app import ROUTERS as COLLECTION
from functions.deletion.app import ROUTERS as DELETION
from functions.intake.app import ROUTERS as INTAKE
from functions.transfer.app import ROUTERS as TRANSFER
from shared.api.app_factory import create_app
from shared.runtime import Runtime

WORKFLOWS = (
    ("intake", INTAKE),
    ("assessment", ASSESSMENT),
    ("collection", COLLECTION),
    ("transfer", TRANSFER),
    ("deletion", DELETION),
)


def build_all(runtime: Runtime | None = None) -> FastAPI:
    return create_app(WORKFLOWS, runtime)
