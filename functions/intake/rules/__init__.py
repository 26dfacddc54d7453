"""intake rules."""
