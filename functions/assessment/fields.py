"""The fields of the assessment workflow's records, by model, as the PIA's 別添1 names them (PIA-II-2-b).

Data only: `shared/domain/data/betten1_items.json` maps each 賦課 and 調定 item to one of these, and a test checks
both that the mapping names a field listed here and that the imports really write it.
"""

from __future__ import annotations

__all__ = ["MODEL_FIELDS"]

MODEL_FIELDS: dict[str, dict[str, str]] = {
    "levy": {  # levies table: a 賦課 result of record
        "fiscal_year": "賦課年度",
        "annual_premium": "保険料額 (年額, 減免後)",
        "reduction": "軽減区分 (7割・5割・2割)",
        "exemption": "減免額",
        "assessment_date": "賦課期日 (4月1日, or the 資格取得日 within the 年度)",
        "reason": "賦課更正事由 (code; reason_name its name)",
        "decided_on": "賦課更正日 (賦課決定日)",
    },
    "instalments": {  # instalments table: one schedule per person and 年度
        "fiscal_year": "賦課年度",
        "collection_method": "徴収方法 (special 特別徴収 / ordinary 普通徴収) for the rest of the 年度",
        "periods.due_date": "納期限",
        "periods.levy_year": "調定年度",
        "periods.method": "徴収方法 of the 期",
        "periods.number": "期別",
        "periods.amount": "期別保険料額",
    },
    "income_record": {  # income-records table
        "resident_tax": "住民税情報 (課税区分; with taxable_base 課税標準額)",
    },
    "pension_deduction": {  # pension-deductions table (from the 年金保険者's notices)
        "pension_annual": "特徴年金情報 (年金額)",
        "kaigo_annual": "特徴年金情報(介護) (介護保険料 年額)",
    },
}
