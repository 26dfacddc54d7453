"""The only code that calls AWS: repositories over the declared tables, the object store, field
encryption, the audit log, idempotency; clients come from the one factory (`aws.py`)."""

__all__ = [
    "audit_log", "aws", "batch_io", "batch_jobs", "change_requests", "dynamo", "field_crypto", "idempotency",
    "kms_calls", "levies", "objects", "persons", "queues", "records", "retry", "sessions", "staff_registry",
    "subject_requests", "transfer_ledger", "transfer_queue"
]
