"""Where a person's data lives: for every declared table, how a run finds a person's records in it, or why it
holds none (PIA-III-7-e). Pure data; `tests/unit/test_deletion_rules.py` fails when a declared table is neither.

Each table that a later issue declares needs a locator here (or a reason in EXEMPT): the test above fails until then.
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
    how: Literal["key", "index", "scan", "contains", "prefix"]  # contains: the person id appears inside `field`'s
    # text; prefix: `field` starts with "<person id>-"
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
    TableLocator("eligibility-discrepancies", "index", "person_id", "by-person"),
    TableLocator("idempotency", "contains", "data"),  # a stored first result names the person it answered about
    TableLocator("legal-holds", "key", "person_id"),  # released holds (a held person is in no plan)
    # Assessment (issue 13; docs/assessment.md "Contract with collection").
    TableLocator("income-records", "index", "person_id", "by-person"),
    TableLocator("levies", "key", "person_id"),  # every 更正 of every 年度 under the person's partition
    TableLocator("instalments", "index", "person_id", "by-person"),
    TableLocator("overpayments", "index", "person_id", "by-person"),
    TableLocator("pension-deductions", "prefix", "deduction_id"),  # `<person>-<年度>`, no person index
    TableLocator("collection-elections", "index", "person_id", "by-person"),
    # Collection (issue 14; docs/collection.md "Tables").
    TableLocator("payment-slips", "index", "person_id", "by-person"),
    TableLocator("collection-ledger", "scan", "person_id"),  # keyed by 納付番号; no person index
    TableLocator("suspense-receipts", "scan", "person_id"),  # a person only once resolved to one
    TableLocator("bank-accounts", "index", "person_id", "by-person"),
    TableLocator("debit-registrations", "index", "person_id", "by-person"),
    TableLocator("collection-decisions", "scan", "person_id"),
    TableLocator("pension-notices", "index", "person_id", "by-person"),
)

# Tables that hold no insured person's data, with the reason; the audit trail is kept 7 years and never erased early.
EXEMPT: dict[str, str] = {
    "staff": "staff identities, kept while the staff member is registered (PIA-III-3-c)",
    "sessions": "staff sessions; erased by the `sessions` rule when they expire",
    "audit-log": "the audit trail: person ids and purposes only, kept 7 years, never erased early (PIA-III-8)",
    "inbound-files": "content hashes and counts of imported files; no personal data",
    "deletion-runs": "deletion runs: counts and digests only",
    "deletion-ledger": "hashed ids of what was erased (the chunks with person ids are removed when a run ends)",
    "batch-jobs": "job states, chunk checkpoints and counts; no person ids (docs/batch.md), expire after 90 days",
    "transfer-approvals": "データ使用承認: recipients, legal bases, purposes and fields; no person data",
    "transfer-ledger": "evidence of every transfer (PIA-III-5-a, III-2-h), kept like the audit trail; person ids only "
                       "of persons left out while their use was suspended",
}

# Attributes that hold a My Number's stored forms (ciphertext, blind index, a change request's sealed copy).
MYNUMBER_ATTRIBUTES = ("mynumber_enc", "mynumber_index", "proxy_mynumber_enc", "proxy_mynumber_index", "sealed")
