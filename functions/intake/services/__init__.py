"""The intake workflow's services: orchestration of rules over the shared adapters."""

__all__ = ["certificate_preview", "certificate_print", "certificates", "notifications", "reaching_75",
           "resident_import", "subject_requests"]
