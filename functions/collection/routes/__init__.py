"""HTTP routes of the collection workflow."""

from functions.collection.routes import accounts, debits, decisions, late_fees, refunds, suspense

__all__ = ["ROUTERS"]

ROUTERS = (late_fees.router, accounts.router, suspense.router, refunds.router, debits.router, decisions.router)
