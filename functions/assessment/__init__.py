"""The assessment workflow: 所得 intake, 賦課 results of record, premium 試算, 期割 and 更正 (PIA-I-1-c, I-1-d)."""

__all__ = ["cli", "fields", "handler", "routes", "rules", "schemas", "services", "workflow"]
