"""HTTP routes of the deletion workflow."""

from fastapi import APIRouter

router = APIRouter(prefix="/deletion", tags=["deletion"])
