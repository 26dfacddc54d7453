"""HTTP routes of the collection workflow."""

from functions.collection.routes import accounts, late_fees, suspense

__all__ = ["ROUTERS"]

ROUTERS = (late_fees.router, accounts.router, suspense.router)
