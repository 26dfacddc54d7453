"""HTTP routes of the assessment workflow (its maker-checker routes come from the app factory)."""

from fastapi import APIRouter

__all__ = ["ROUTERS"]

router = APIRouter(prefix="/assessment", tags=["assessment"])
ROUTERS = (router,)
