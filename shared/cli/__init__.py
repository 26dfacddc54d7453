"""The `choju` command (never packaged into a function)."""

__all__ = ["main"]
