"""`choju late-fee` and `POST /collection/late-fees`: the same answer; bad input is one line and exit 2 (CLI) or a
problem with a stable code (API), never a traceback or a 500."""

from __future__ import annotations

import json

import pytest

from shared.cli.main import main

EXAMPLE = ["--principal", "98000", "--due", "2025-07-31", "--paid", "2025-12-26"]


def test_the_cli_prints_the_fee_and_its_periods(capsys) -> None:
    assert main(["late-fee", *EXAMPLE]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["late_fee"] == 2_900
    assert out["periods"][0] == {"from": "2025-08-01", "to": "2025-08-31", "days": 31, "base": 98_000, "rate": "2.4",
                                 "amount": "199.758904"}


def test_the_cli_takes_repeated_partial_payments(capsys) -> None:
    """50,000 on 9/30 and 20,000 on 11/14; 28,000 on 12/26:
    8/1–8/31 98,000 × 2.4% × 31 = 72,912; 9/1–9/30 98,000 × 8.7% × 30 = 255,780;
    10/1–11/14 48,000 × 8.7% × 45 = 187,920; 11/15–12/26 28,000 × 8.7% × 42 = 102,312;
    618,924 / 365 = 1,695.68 → 1,600."""
    assert main(["late-fee", *EXAMPLE, "--payment", "2025-09-30:50000", "--payment", "2025-11-14:20000"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["base"] for p in out["periods"]] == [98_000, 98_000, 48_000, 28_000]
    assert out["late_fee"] == 1_600


@pytest.mark.parametrize(("argv", "message"), [
    (["--principal", "98,000", "--due", "2025-07-31", "--paid", "2025-12-26"], "not a positive number of yen"),
    (["--principal", "98000", "--due", "2025-07-31", "--paid", "26/12/2025"], "not a date"),
    (["--principal", "98000", "--due", "2025-07-31"], "required"),
    (["--principal", "98000", "--due", "2025-07-31", "--paid", "2025-07-01"], "before the 納期限"),
    ([*EXAMPLE, "--payment", "2025-09-30"], "not a positive number of yen"),
    ([*EXAMPLE, "--payment", "2025-12-27:1000"], "after the payment day"),
    (["--principal", "98000", "--due", "2027-07-31", "--paid", "2027-09-01"], "no 延滞金/還付加算金 rate"),
])
def test_bad_input_is_one_line_and_exit_2(argv: list[str], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        code = main(["late-fee", *argv])
        raise SystemExit(code)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and captured.out == ""
    assert "Traceback" not in captured.err


BODY = {"principal": 98_000, "due": "2025-07-31", "paid": "2025-12-26"}


def test_the_api_gives_the_same_answer(api, auth) -> None:
    response = api.post("/collection/late-fees", json=BODY, headers=auth("S1001"))
    assert response.status_code == 200, response.text
    assert response.json()["late_fee"] == 2_900 and len(response.json()["periods"]) == 2
    partial = api.post("/collection/late-fees", json={**BODY, "payments": [{"date": "2025-09-30", "amount": 50_000}]},
                       headers=auth("S1005"))
    assert partial.json()["late_fee"] == 1_800


@pytest.mark.parametrize(("body", "status", "code"), [
    ({**BODY, "paid": "2025-07-01"}, 422, "paid-before-due"),
    ({**BODY, "principal": 98_000.5}, 422, "validation-failed"),
    ({**BODY, "principal": "98000"}, 422, "validation-failed"),
    ({**BODY, "fee": 1}, 422, "unknown-field"),
    ({**BODY, "due": "2027-07-31", "paid": "2027-09-01"}, 422, "rate-not-recorded"),
    ({**BODY, "payments": [{"date": "2025-09-30", "amount": 99_000}]}, 422, "payments-exceed-principal"),
])
def test_bad_input_is_a_problem_with_a_code(api, auth, body: dict, status: int, code: str) -> None:
    response = api.post("/collection/late-fees", json=body, headers=auth("S1001"))
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.headers["content-type"] == "application/problem+json"


def test_the_api_needs_collection_read(api, auth) -> None:
    assert api.post("/collection/late-fees", json=BODY, headers=auth("S1007")).status_code == 403  # auditor
    assert api.post("/collection/late-fees", json=BODY).status_code == 401
