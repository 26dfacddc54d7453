"""HTTP routes every deployment serves: sign-in state, the audit log, staff administration."""

from functions.platform.routes import audit, auth, staff

__all__ = ["ROUTERS"]

ROUTERS = (auth.router, audit.router, staff.router)
