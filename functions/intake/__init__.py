"""The intake workflow."""
