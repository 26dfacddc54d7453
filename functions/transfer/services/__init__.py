"""transfer services."""
