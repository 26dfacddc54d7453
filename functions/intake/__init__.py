"""The intake workflow."""

__all__ = ["batch", "cli", "demo", "handler", "routes", "rules", "services", "workflow"]
