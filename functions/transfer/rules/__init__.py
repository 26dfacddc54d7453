"""transfer rules."""
