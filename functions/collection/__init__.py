"""The collection workflow."""

__all__ = ["handler", "routes", "workflow"]
