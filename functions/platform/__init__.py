"""Platform: sign-in state, audit log, staff administration."""

__all__ = ["cli", "handler", "routes", "rules", "workflow"]
