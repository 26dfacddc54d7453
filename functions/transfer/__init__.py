"""The transfer workflow."""
