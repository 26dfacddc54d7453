"""HTTP routes of the assessment workflow: counter 試算, a person's 賦課 history and 期割, imports, 突合."""

from functions.assessment.routes import estimates

__all__ = ["ROUTERS"]

ROUTERS = (estimates.router,)
