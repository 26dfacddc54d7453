"""The 保険料額決定通知書兼納入通知書 of a person's result of record and its 期割 (issue 19; docs/notices.md).

The figures are the 広域連合's result as stored in `levies` (the city never re-derives them, domain-rules §2.1)
and the 期 of the `instalments` schedule made from it: every 期 not cancelled, with its 納期限 and 徴収方法. The
result states the 均等割 after 軽減 and 月割 only, so the notice prints that figure with the 軽減 class. The notice
is dated the result's 決定日 and numbered from the result (person, 年度, 更正回数), so a reprint is the same notice.
A 更正 (更正回数 > 0) prints as a 変更通知書 with the 年間保険料額 of the result it replaced.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from functions.assessment.rules.dates import fiscal_year_of
from functions.assessment.rules.instalments import CANCELLED, Schedule
from functions.assessment.services.schedules import load_schedule
from shared.adapters.levies import LevyStore
from shared.adapters.persons import PersonRepository
from shared.domain.errors import NotFound
from shared.notices.document import Context, document_number
from shared.notices.issuer import Issuer
from shared.notices.parts import Recipient
from shared.notices.premium_notice import PREMIUM_DECISION, Instalment, PremiumDecision
from shared.notices.printing import Notice, print_one
from shared.runtime import Runtime

__all__ = ["decision_notice", "decision_notice_of", "decision_pdf", "preview", "recipient"]

# 軽減区分 as the results file stores it (rules/results_file.py REDUCTIONS) and as the notice prints it.
REDUCTION_LABELS = {"70%": "7割軽減", "50%": "5割軽減", "20%": "2割軽減"}


def recipient(person: dict[str, Any]) -> Recipient:
    """The 送付先 when one is registered, else the resident's address."""
    return Recipient(person.get("name") or "", person.get("mailing_address") or person.get("address") or "",
                     person.get("postal_code"))


def decision_notice(rt: Runtime, person: dict[str, Any], fiscal_year: int) -> tuple[Notice, str] | None:
    """The notice of the 年度's result of record and its 期割 with the record it prints (`levies/<person>/<key>`),
    or None if the person has no result or 期割 in the 年度."""
    person_id = person["person_id"]
    schedule, _ = load_schedule(rt, person_id, fiscal_year)
    if schedule is None:
        return None
    return decision_notice_of(rt, person, fiscal_year, rt.repository(LevyStore).of_year(person_id, fiscal_year),
                              schedule)


def decision_notice_of(rt: Runtime, person: dict[str, Any], fiscal_year: int, results: list[dict[str, Any]],
                       schedule: Schedule) -> tuple[Notice, str] | None:
    """The notice from what is read already: `results`, every result of record of the person's 年度 (one query:
    the result of record is the highest 更正回数, the previous annual premium the one before it), and its 期割.
    A print run reads its chunk's persons and 期割 with BatchGetItem and each person's results with one query."""
    person_id = person["person_id"]
    if not results:
        return None
    levy = max(results, key=lambda i: str(i["levy_key"]))  # what LevyStore.latest answers: the highest sort key
    previous = None
    if int(levy["version"]) > 0:
        earlier = [i for i in results if int(i["version"]) < int(levy["version"])]
        previous = int(max(earlier, key=lambda i: int(i["version"]))["annual_premium"]) if earlier else None
    reduction = REDUCTION_LABELS.get(levy.get("reduction") or "") or (
        "被扶養者軽減" if levy.get("former_dependant") else None)
    decided_on = date.fromisoformat(levy["decided_on"])
    data = PremiumDecision(
        recipient(person), levy.get("insured_number") or "", fiscal_year, decided_on,
        income_base=int(levy.get("assessment_base") or 0), equal_share_before_reduction=None, reduction_amount=0,
        income_share=int(levy["income_share"]), annual_premium=int(levy["annual_premium"]),
        months=int(levy["months"]), reduction=reduction, capped=bool(levy.get("capped")), previous_annual=previous,
        equal_share=int(levy["equal_share"]),
        instalments=tuple(Instalment(p.number, p.due_date, p.amount, p.method)
                          for p in sorted(schedule.periods, key=lambda p: (p.due_date, p.key))
                          if p.status != CANCELLED))
    record = f"levies/{person_id}/{levy['levy_key']}"
    context = Context(Issuer.from_settings(rt.settings), document_number(PREMIUM_DECISION, record, decided_on),
                      decided_on)
    return Notice(PREMIUM_DECISION, data, context), record


def decision_pdf(rt: Runtime, person_id: str, fiscal_year: int, staff_id: str, request_id: str | None,
                 purpose: str) -> tuple[bytes, str]:
    """The PDF of the 年度's notice and its document number; an audited read with the purpose stated."""
    person = rt.repository(PersonRepository).get(person_id)
    found = decision_notice(rt, person, fiscal_year) if person else None
    if found is None:
        raise NotFound("the person has no result of record and 期割 in this fiscal year")
    notice, record = found
    pdf = print_one(rt, notice, person_id=person_id, record=record, staff_id=staff_id, request_id=request_id,
                    purpose=purpose)
    return pdf, notice.context.number


def preview(rt: Runtime, person: dict[str, Any], today: date) -> Notice | None:
    """`choju notice render --kind premium-decision`: the notice of the latest 年度 (up to this one) with a result
    of record, or None (the sample figures) when the person has none."""
    history = rt.repository(LevyStore).history(person["person_id"])
    years = sorted({int(i["fiscal_year"]) for i in history if int(i["fiscal_year"]) <= fiscal_year_of(today)},
                   reverse=True)
    for year in years:
        found = decision_notice(rt, person, year)
        if found is not None:
            return found[0]
    return None
