"""One package per workflow (and the platform function); `registry.py` is the one list of them."""

__all__ = ["assessment", "collection", "deletion", "intake", "platform", "registry", "transfer"]
