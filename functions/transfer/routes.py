"""HTTP routes of the transfer workflow."""

from fastapi import APIRouter

router = APIRouter(prefix="/transfer", tags=["transfer"])
