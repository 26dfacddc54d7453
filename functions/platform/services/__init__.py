"""The platform's services: staff administration under separation of duties."""

__all__ = ["staff_admin"]
