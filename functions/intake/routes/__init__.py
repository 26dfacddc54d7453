"""HTTP routes of the intake workflow: look-ups, persons, printed 資格確認書, notifications, 療養費, disclosures and
inquiries, and the 突合 list of the 広域連合's 被保険者情報."""

from functions.intake.routes import (
    discrepancies,
    households,
    lookups,
    notices,
    notifications,
    persons,
    ryoyohi,
    subject_requests,
)

__all__ = ["ROUTERS"]

ROUTERS = (lookups.router, discrepancies.router, persons.router, households.router, notices.router,
           notifications.router, ryoyohi.router, subject_requests.router)
