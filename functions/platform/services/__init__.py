"""The platform's services: sealing and verifying the audit log; staff administration under separation of
duties."""

__all__ = ["audit_chain", "staff_admin"]
