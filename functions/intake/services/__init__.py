"""intake services."""
