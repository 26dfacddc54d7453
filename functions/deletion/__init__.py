"""The deletion workflow."""

__all__ = ["handler", "routes", "workflow"]
