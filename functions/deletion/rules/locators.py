"""Where a person's data lives: for every declared table, how a run finds a person's records in it, or why it
holds none (PIA-III-7-e). Pure data; `tests/unit/test_deletion_rules.py` fails when a declared table is neither.

Tables that issues 13 and 14 declare are named here already; a run skips a name the storage declaration does not
hold yet, and the test above makes whoever declares it confirm the locator.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = ["EXEMPT", "LOCATORS", "MYNUMBER_ATTRIBUTES", "ObjectsOf", "TableLocator"]


class ObjectsOf(NamedTuple):
    """Objects a found record owns: `template` is formatted with the record's fields into a key prefix."""

    bucket: str
    template: str
    when: tuple[str, str] | None = None  # (field, value): only records where field == value own such objects


class TableLocator(NamedTuple):
    table: str
    how: Literal["key", "index", "scan", "contains"]  # contains: the person id appears inside `field`'s text
    field: str  # the attribute holding the person id
    index: str = ""
    objects: tuple[ObjectsOf, ...] = ()


LOCATORS: tuple[TableLocator, ...] = (
    TableLocator("persons", "key", "person_id"),
    TableLocator("change-requests", "index", "entity_id", "by-entity"),
    TableLocator("notifications", "index", "person_id", "by-person"),
    TableLocator("certificates", "index", "person_id", "by-person"),
    TableLocator("ryoyohi-applications", "index", "person_id", "by-person",
                 (ObjectsOf("documents", "ryoyohi/{application_id}/"),)),
    TableLocator("subject-requests", "index", "person_id", "by-person",
                 (ObjectsOf("documents", "disclosures/{request_id}.json", ("kind", "disclosure")),)),
    TableLocator("transfer-queue", "index", "entity_id", "by-entity"),
    TableLocator("idempotency", "contains", "data"),  # a stored first result names the person it answered about
    TableLocator("legal-holds", "key", "person_id"),  # released holds (a held person is in no plan)
    # Issues 13 and 14 (assessment, collection): confirm each when its table is declared.
    TableLocator("income-records", "scan", "person_id"),
    TableLocator("levies", "key", "person_id"),
    TableLocator("instalments", "scan", "person_id"),
    TableLocator("overpayments", "scan", "person_id"),
    TableLocator("pension-deductions", "scan", "person_id"),
    TableLocator("collection-elections", "scan", "person_id"),
    TableLocator("payment-slips", "scan", "person_id"),
    TableLocator("collection-ledger", "scan", "person_id"),
    TableLocator("suspense-receipts", "scan", "person_id"),
    TableLocator("bank-accounts", "scan", "person_id"),
    TableLocator("debit-registrations", "scan", "person_id"),
    TableLocator("collection-decisions", "scan", "person_id"),
)

# Tables that hold no insured person's data, with the reason; the audit trail is kept 7 years and never erased early.
EXEMPT: dict[str, str] = {
    "staff": "staff identities, kept while the staff member is registered (PIA-III-3-c)",
    "sessions": "staff sessions; erased by the `sessions` rule when they expire",
    "audit-log": "the audit trail: person ids and purposes only, kept 7 years, never erased early (PIA-III-8)",
    "inbound-files": "content hashes and counts of imported files; no personal data",
    "deletion-runs": "deletion runs: counts and digests only",
    "deletion-ledger": "hashed ids of what was erased (the chunks with person ids are removed when a run ends)",
}

# Attributes that hold a My Number's stored forms (ciphertext, blind index, a change request's sealed copy).
MYNUMBER_ATTRIBUTES = ("mynumber_enc", "mynumber_index", "proxy_mynumber_enc", "proxy_mynumber_index", "sealed")
