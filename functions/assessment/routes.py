"""HTTP routes of the assessment workflow."""

from fastapi import APIRouter

router = APIRouter(prefix="/assessment", tags=["assessment"])
