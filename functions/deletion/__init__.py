"""The deletion workflow."""
