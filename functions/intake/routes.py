"""HTTP routes of the intake workflow."""

from fastapi import APIRouter

router = APIRouter(prefix="/intake", tags=["intake"])
