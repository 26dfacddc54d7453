"""HTTP routes of the collection workflow."""

from functions.collection.routes import late_fees

__all__ = ["ROUTERS"]

ROUTERS = (late_fees.router,)
