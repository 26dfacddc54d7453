"""別添1 (PIA-II-2-b): the 賦課 and 調定 items are fields the imports really write, not only names in a list."""

from __future__ import annotations

from datetime import UTC, datetime

from functions.assessment.fields import MODEL_FIELDS
from functions.assessment.services.income_import import import_income
from functions.assessment.services.results_import import import_results
from shared.adapters.levies import LevyStore
from shared.domain.betten1 import mapped_items
from tests.assessment.files import income_file, income_record, result_record, results_file

WRITTEN_HERE = ("levy", "instalments", "income_record")  # pension_deduction comes from the 年金保険者's notices


def test_every_mapped_assessment_field_is_written_by_the_flows(runtime, clock) -> None:
    clock.now = datetime(2025, 7, 10, tzinfo=UTC)
    import_income(runtime, "shiminzei-renkei", income_file(2025, [income_record(
        1, "0000000005", total=700_000, pension_receipts=1_800_000, pension_income=700_000)]))
    import_results(runtime, "kouiki-rengo", results_file(2025, [result_record(
        1, "0000000005", annual=58_600, equal=29_000, income=29_646, reduction="2", base=270_000)]))
    records = {"levy": runtime.repository(LevyStore).latest("P0000000005", 2025),
               "instalments": runtime.records("instalments").get("P0000000005-2025"),
               "income_record": runtime.records("income-records").get("P0000000005-2025")}
    mapped = [m for m in mapped_items() if m.workflow == "assessment" and m.status == "implemented"]
    assert len(mapped) == 16  # 9 賦課 + 6 調定 + 住民税情報
    for item in mapped:
        model, _, field = item.field.partition(".")
        assert field in MODEL_FIELDS[model], item
        if model not in WRITTEN_HERE:
            continue
        if field.startswith("periods."):
            name = field.split(".", 1)[1]
            assert all(name in p for p in records[model]["periods"]), item
        else:
            assert field in records[model], item
