"""Problems for domain errors that any route may meet (a wrong My Number, a refused change)."""

from __future__ import annotations

from shared.api.problems import Problem
from shared.domain.mynumber import InvalidMyNumber


def invalid_my_number(error: InvalidMyNumber, field: str) -> Problem:
    """Says which rule failed and where; never echoes the number (design rule 5)."""
    return Problem(422, "invalid-my-number", "The My Number is not valid", str(error),
                   errors=[{"field": field, "type": error.rule.value, "message": str(error)}])
