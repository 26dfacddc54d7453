"""HTTP routes of the collection workflow (its maker-checker routes come from the app factory)."""

from fastapi import APIRouter

__all__ = ["ROUTERS"]

router = APIRouter(prefix="/collection", tags=["collection"])
ROUTERS = (router,)
