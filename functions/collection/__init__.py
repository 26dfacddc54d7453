"""The collection workflow."""

__all__ = ["cli", "handler", "routes", "rules", "workflow"]
