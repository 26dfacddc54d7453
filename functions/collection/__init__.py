"""The collection workflow."""
