"""HTTP routes of the collection workflow."""

from fastapi import APIRouter

router = APIRouter(prefix="/collection", tags=["collection"])
