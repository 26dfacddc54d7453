"""Protection of specific personal information: one mechanism for every workflow (PIA III-2, III-3, IV)."""

__all__ = ["changes", "entities", "views"]
