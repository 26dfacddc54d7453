"""HTTP routes of the intake workflow: look-ups, persons, notifications, 療養費, disclosures and inquiries."""

from functions.intake.routes import lookups, notifications, persons, ryoyohi, subject_requests

__all__ = ["ROUTERS"]

ROUTERS = (lookups.router, persons.router, notifications.router, ryoyohi.router, subject_requests.router)
