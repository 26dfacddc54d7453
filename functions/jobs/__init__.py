"""The jobs function: the status of every workflow's batch jobs, for operators."""

__all__ = ["cli", "handler", "routes", "workflow"]
