"""The platform's pure rules: the self-inspection report of the audit log."""

__all__ = ["inspection"]
