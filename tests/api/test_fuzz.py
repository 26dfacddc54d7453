"""Fuzzing the whole API as every role (issue 18 item 6): schemathesis generates requests from the OpenAPI
document, valid and invalid; no answer may be a 5xx, every error must be problem+json, and every response must
match the schema it declares. `make test` runs a few examples per operation and role; `make fuzz` many more
(CHOJU_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks

from shared.domain.roles import Role
from shared.local.demo_staff import demo_staff_with_role

# What the issue asks: no server error, errors as problem+json (above), and every answer as its schema declares
# (documented status, content type, body schema). Whether a schema-valid request must succeed is a business
# rule (a clerk may not read the audit log), not the schema's, so positive/negative-acceptance are not used.
CHECKS = [not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]
EXAMPLES = int(os.environ.get("CHOJU_FUZZ_EXAMPLES", "3"))
# `make fuzz` also runs schemathesis' coverage phase (boundary values, every invalid type) and the examples
# phase; `make test` keeps to a few generated examples per operation so the suite stays quick.
DEEP = os.environ.get("CHOJU_FUZZ_DEEP") == "1"


@pytest.fixture
def api_schema(api):
    loaded = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    loaded.config.phases.coverage.enabled = DEEP
    loaded.config.phases.examples.enabled = DEEP
    loaded.config.phases.stateful.enabled = False
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_5xx_and_every_error_is_problem_json(case, token_for) -> None:
    """Each generated request, sent as every role (a fresh sign-in each: a fuzzed logout must not blind the rest)."""
    for role in Role:
        headers = {"Authorization": f"Bearer {token_for(demo_staff_with_role(role).staff_id)}"}
        response = case.call(headers=headers)
        where = f"{case.method} {case.formatted_path} as {role.value}"
        assert response.status_code < 500, f"{where}: {response.text[:500]}"
        if response.status_code >= 400:
            assert response.headers["content-type"][0].startswith("application/problem+json"), where
            assert {"type", "title", "status", "code"} <= set(response.json()), where
        case.validate_response(response, checks=CHECKS)
