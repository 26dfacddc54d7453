"""The collection workflow's services: its rules over the shared adapters, in batches and transactions."""

__all__ = ["accounts", "bank_accounts", "debits", "dunning", "extracts", "imports", "inbound", "limitation",
           "payments", "pension", "postings", "public_accounts", "refunds", "settle", "store", "suspense"]
