"""The library every function shares (design.md "The shape"): only what two or more workflows use."""

__all__ = [
    "adapters", "api", "batch", "cli", "config", "domain", "lazy", "local", "observability", "protection", "runtime",
    "security", "storage", "workflow"
]
