"""HTTP routes of the deletion workflow (its maker-checker routes come from the app factory)."""

from fastapi import APIRouter

__all__ = ["ROUTERS"]

router = APIRouter(prefix="/deletion", tags=["deletion"])
ROUTERS = (router,)
