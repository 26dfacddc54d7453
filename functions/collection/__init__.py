"""The collection workflow."""

__all__ = ["batch", "cli", "handler", "routes", "rules", "services", "workflow"]
