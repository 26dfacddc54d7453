"""HTTP routes of the intake workflow: look-ups, persons, printed 資格確認書, notifications, 療養費, disclosures and
inquiries."""

from functions.intake.routes import households, lookups, notices, notifications, persons, ryoyohi, subject_requests

__all__ = ["ROUTERS"]

ROUTERS = (lookups.router, persons.router, households.router, notices.router, notifications.router, ryoyohi.router,
           subject_requests.router)
