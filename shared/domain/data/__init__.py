"""Rule data shipped with the package (the PIA's 別添1 mapping)."""

__all__ = []
