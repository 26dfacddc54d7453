"""The household a 試算 is asked for: one model for `choju premium` and `POST /assessment/estimates`.

Checked at the edge (design rule 10): unknown fields are refused (PIA-III-2-f), amounts are whole yen (no
floats near money, design rule 4), dates are ISO dates; the rules then check what only they can.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError, model_validator

from functions.assessment.rules.premium import Member

__all__ = ["HouseholdIn", "MemberIn", "first_error"]

Yen = Annotated[StrictInt, Field(ge=0, le=100_000_000_000, description="yen")]


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=40, description="a label for the member within this request")
    insured: StrictBool
    household_head: StrictBool = False
    birth_date: date
    public_pension_receipts: Yen = 0
    salary_receipts: Yen = 0
    other_income: Yen = Field(0, description="net 所得 other than pensions and salary")
    former_dependant: StrictBool = Field(False, description="元被扶養者 (needs acquired_on)")
    acquired_on: date | None = Field(None, description="資格取得日; default: insured before the 年度, or from the "
                                                       "75th birthday when it falls in the 年度")
    lost_on: date | None = Field(None, description="資格喪失日")
    died_on: date | None = Field(None, description="date of death: the 資格喪失日 is the next day (法第53条)")
    dedicated_worker_deduction: Yen = Field(0, description="専従者控除 (added back for the 軽減判定)")
    transfer_special_deduction: Yen = Field(0, description="譲渡所得特別控除 (added back for the 軽減判定)")
    undeclared: StrictBool = Field(False, description="所得 未申告: no 軽減 for the household")
    disability_certified_on: date | None = Field(None, description="障害認定日 (insured from 65)")

    @model_validator(mode="after")
    def _death_is_a_loss(self) -> MemberIn:
        if self.died_on and self.lost_on and self.lost_on != self.died_on + timedelta(days=1):
            raise ValueError("lost_on after a death is the day after died_on; give one of them")
        return self

    def member(self) -> Member:
        lost_on = self.died_on + timedelta(days=1) if self.died_on else self.lost_on
        return Member(
            id=self.id, insured=self.insured, household_head=self.household_head, birth_date=self.birth_date,
            public_pension_receipts=self.public_pension_receipts, salary_receipts=self.salary_receipts,
            other_income=self.other_income, former_dependant=self.former_dependant, acquired_on=self.acquired_on,
            lost_on=lost_on, dedicated_worker_deduction=self.dedicated_worker_deduction,
            transfer_special_deduction=self.transfer_special_deduction, undeclared=self.undeclared,
            disability_certified_on=self.disability_certified_on)


class HouseholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fiscal_year: StrictInt | None = Field(None, ge=2000, le=2100, description="賦課年度 (e.g. 2025 for 令和7年度)")
    members: list[MemberIn] = Field(min_length=1, max_length=20)

    def members_for_rules(self) -> list[Member]:
        return [m.member() for m in self.members]


def first_error(error: ValidationError) -> str:
    """The first problem of a validation error as one line: where, and what (never the value given)."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())) or "body"
    return f"{where}: {first.get('msg', 'invalid')}"
