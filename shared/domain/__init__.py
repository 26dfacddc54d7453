"""Pure rules used by several workflows: persons, My Numbers, changes, roles, staff, ids, Japan time, 和暦,
the audit chain, errors. No AWS, no I/O."""

__all__ = [
    "audit_chain", "betten1", "calendar", "changes", "counterparties", "data", "errors", "ids", "kana", "mynumber",
    "person", "regions", "roles", "staff", "wareki"
]
