"""Orchestration of the assessment workflow over the shared adapters: imports, 期割, 突合, views."""

__all__ = ["inbound", "income_import", "reconciliation", "results_import", "schedules", "views"]
