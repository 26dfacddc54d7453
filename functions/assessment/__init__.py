"""The assessment workflow."""

__all__ = ["handler", "routes", "workflow"]
