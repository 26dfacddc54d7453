"""HTTP routes of the assessment workflow: counter 試算, a person's 賦課 history and 期割, imports, 突合, and
the 口座振替 election (maker-checker)."""

from functions.assessment.routes import discrepancies, elections, estimates, imports, persons

__all__ = ["ROUTERS"]

ROUTERS = (estimates.router, persons.router, discrepancies.router, imports.router, elections.router)
