"""The transfer workflow."""

__all__ = ["handler", "routes", "rules", "services", "workflow"]
