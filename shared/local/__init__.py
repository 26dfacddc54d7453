"""Local mode: moto in server mode, the declared storage, demo data and a demo identity provider.

Nothing here is imported by function code; it is the operator's and developer's embedded AWS."""

__all__ = ["bootstrap", "demo_data", "demo_notices", "demo_staff", "identity", "server", "state"]
