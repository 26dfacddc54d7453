"""Shared steps of the transfer tests: approvals through maker-checker, queued records, the stored file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from shared.adapters.transfer_queue import TransferQueue
from shared.domain.counterparties import KOUIKI_RENGO

CLERK, CHECKER, STEWARD, AUDITOR = "S1001", "S1003", "S1006", "S1007"
TARO, HANAKO = "P0000000001", "P0000000002"
DAILY_FIELDS = ["event", "event_date", "person_id", "my_number", "household_id", "name", "name_kana", "birth_date",
                "sex", "postal_code", "address", "resident_status"]


def approval_body(**overrides: Any) -> dict[str, Any]:
    body = {"recipient": KOUIKI_RENGO, "legal_basis": "高齢者の医療の確保に関する法律第48条, 第54条",
            "purpose": "被保険者資格の管理", "conditions": "専用線でのみ送付", "valid_from": "2026-01-01",
            "valid_to": "2026-12-31", "fields": DAILY_FIELDS, "jobs": ["kouiki-daily"], "frequency": "daily"}
    return {**body, **overrides}


def approve(api: TestClient, auth: Any, **overrides: Any) -> str:
    """A steward proposes, a checker confirms; returns the approval id."""
    proposed = api.post("/transfer/approvals", json=approval_body(**overrides), headers=auth(STEWARD))
    assert proposed.status_code == 202, proposed.text
    confirmed = api.post(f"/transfer/changes/{proposed.json()['request_id']}/confirm", headers=auth(CHECKER))
    assert confirmed.status_code == 200, confirmed.text
    return str(proposed.json()["entity_id"])


def queue(runtime: Any, person_id: str, kind: str, at: datetime, queue_id: str,
          counterparty: str = KOUIKI_RENGO, **summary: Any) -> None:
    assert runtime.repository(TransferQueue).enqueue(kind=kind, counterparty=counterparty, entity_id=person_id,
                                                     reference=queue_id, at=at, queue_id=queue_id, summary=summary)


def run(api: TestClient, auth: Any, job: str, day: str) -> Any:
    return api.post("/transfer/runs", json={"job": job, "date": day}, headers=auth(STEWARD))


def stored(runtime: Any, key: str) -> dict[str, Any]:
    s3 = runtime.clients.client("s3")
    return s3.get_object(Bucket=runtime.bucket_name("exchange"), Key=key)


def key_id(runtime: Any, alias_or_id: str) -> str:
    return str(runtime.clients.client("kms").describe_key(KeyId=alias_or_id)["KeyMetadata"]["KeyId"])


def taro_income_approved(runtime: Any, api: TestClient, auth: Any) -> None:
    """Assessment's 所得 record of 太郎 for 令和7年度 (`resident_tax` as its import stores it), and the approval of
    the monthly income file that carries it with his My Number."""
    runtime.records("income-records").put({
        "income_id": f"{TARO}-2025", "person_id": TARO, "fiscal_year": 2025, "undeclared": False,
        "resident_tax": "non-taxable", "total_income": 800000, "taxable_base": 0, "version": 1})
    approve(api, auth, jobs=["kouiki-income-monthly"], legal_basis="高齢者の医療の確保に関する法律第138条",
            fields=["person_id", "my_number", "fiscal_year", "resident_tax", "taxable_base", "total_income"],
            frequency="monthly")
