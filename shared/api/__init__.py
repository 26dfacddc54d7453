"""The HTTP edge every function shares: authentication, problem+json, request guards, the app factory,
the maker-checker routes and the Lambda entry point."""

__all__ = [
    "app_factory", "auth", "change_routes", "fields", "lambda_entry", "middleware", "pages", "problems", "routing",
    "uploads"
]
