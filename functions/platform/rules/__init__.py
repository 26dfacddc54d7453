"""The platform's pure rules: the self-inspection report, separation of duties among staff."""

__all__ = ["inspection", "separation"]
