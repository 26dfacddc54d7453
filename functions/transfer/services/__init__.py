"""The transfer workflow's services: outbound files through the export filter."""

__all__ = ["exports"]
