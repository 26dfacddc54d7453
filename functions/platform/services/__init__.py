"""The platform's orchestration over shared adapters: sealing and verifying the audit log."""
