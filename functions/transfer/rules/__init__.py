"""The transfer workflow's pure rules: what each counterparty may receive."""

__all__ = ["export_policy"]
