"""HTTP routes of the collection workflow: none of its own yet; its health and maker-checker routes come from the app
factory."""

from shared.api.routing import Router

__all__ = ["ROUTERS"]

ROUTERS: tuple[Router, ...] = ()
