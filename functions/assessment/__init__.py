"""The assessment workflow."""
