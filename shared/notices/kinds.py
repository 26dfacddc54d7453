"""Every printed document, with the permission that may print it and the workflow whose data it prints.

Printing or downloading a notice is a read of its data, so it needs the permission that reads that data
(PIA-III-3-d): a 資格確認書 is person data, a 決定通知書 or 納付書 assessment data, a 督促状 or 還付通知書 collection
data, a 廃棄証明書 the deletion record. None of them legally carries a My Number (`guard.py`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from shared.domain.roles import Permission
from shared.notices.certificate import CERTIFICATE
from shared.notices.disposal_certificate import DISPOSAL
from shared.notices.document import Template
from shared.notices.dunning_notice import DUNNING
from shared.notices.payment_slip import PAYMENT_SLIPS
from shared.notices.premium_notice import PREMIUM_DECISION
from shared.notices.refund_notice import REFUND

__all__ = ["KINDS", "NoticeKind", "kind"]


class NoticeKind(NamedTuple):
    template: Template[Any]
    permission: Permission
    data_from: str  # the workflow that owns the data (documentation; shared code imports no workflow)


KINDS: dict[str, NoticeKind] = {k.template.kind: k for k in (
    NoticeKind(CERTIFICATE, Permission.PERSON_READ, "intake"),
    NoticeKind(PREMIUM_DECISION, Permission.ASSESSMENT_READ, "assessment"),
    NoticeKind(PAYMENT_SLIPS, Permission.ASSESSMENT_READ, "assessment"),
    NoticeKind(DUNNING, Permission.COLLECTION_WRITE, "collection"),
    NoticeKind(REFUND, Permission.COLLECTION_WRITE, "collection"),
    NoticeKind(DISPOSAL, Permission.DELETION_RUN, "deletion"),
)}


def kind(name: str) -> NoticeKind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no notice kind {name!r}; kinds: {', '.join(KINDS)}") from None
