"""The router every route module uses: FastAPI's, without response models inferred from return annotations.

FastAPI builds a response model for every route whose return annotation is a type, even `dict[str, Any]`,
which documents nothing more than "an object" and costs about 2 ms of cold start per route. Routes that answer
with a model declare it (`response_model=ChangeView`); the others answer with what they return.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

__all__ = ["Router"]


class Router(APIRouter):
    def add_api_route(self, path: str, endpoint: Callable[..., Any], *, response_model: Any = None,
                      **kwargs: Any) -> None:
        super().add_api_route(path, endpoint, response_model=response_model, **kwargs)
