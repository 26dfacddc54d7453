"""The 資格確認書 `choju notice render` prints for a person: the latest card issued, or the card a new issue
today would give, marked 見本 (declared in functions/intake/workflow.py as the certificate's notice source)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from functions.intake.services.certificate_print import certificate_notice
from functions.intake.services.certificates import certificate_values
from shared.notices.printing import Notice
from shared.runtime import Runtime

__all__ = ["preview"]


def preview(rt: Runtime, person: dict[str, Any], today: date) -> Notice:
    found = rt.records("certificates").query("by-person", "person_id", person["person_id"])
    if found:
        return certificate_notice(rt, person, max(found, key=lambda c: (c["issued_on"], c["certificate_id"])))
    record = {"certificate_id": f"preview-{person['person_id']}", **certificate_values(person, "new", today)}
    notice = certificate_notice(rt, person, record)
    return notice._replace(context=replace(notice.context, sample=True))
