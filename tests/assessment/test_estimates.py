"""`choju premium` and `POST /assessment/estimates`: the same household, the same answer; bad input is a
one-line error with exit status 2, or problem+json naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.cli.main import main
from tests.api.test_errors import assert_problem

CLERK, OFFICER, AUDITOR = "S1001", "S1005", "S1007"
# The example: one 65+ pensioner with 153万 → 所得 43万, 判定 28万 → 7割: 58,000 × 0.3 = 17,400.
EXAMPLE = {"members": [{"id": "a", "insured": True, "household_head": True, "birth_date": "1948-06-01",
                        "public_pension_receipts": 1530000, "salary_receipts": 0, "other_income": 0,
                        "former_dependant": False, "acquired_on": None, "lost_on": None}]}
ANSWER = {"fiscal_year": 2025, "reduction": "70%", "members": [
    {"id": "a", "equal_share": 17400, "income_share": 0, "annual_premium": 17400, "months": 12, "capped": False,
     "provisional": False, "reduction": "70%"}], "provisional_figures": []}


def _file(tmp_path: Path, body: object) -> str:
    path = tmp_path / "household.json"
    path.write_text(body if isinstance(body, str) else json.dumps(body), "utf-8")
    return str(path)


def test_the_cli_prints_the_estimate(tmp_path, capsys) -> None:
    assert main(["premium", "--fiscal-year", "2025", "--household", _file(tmp_path, EXAMPLE)]) == 0
    assert json.loads(capsys.readouterr().out) == ANSWER


def test_the_cli_says_when_figures_are_provisional(tmp_path, capsys) -> None:
    assert main(["premium", "--fiscal-year", "2026", "--household", _file(tmp_path, EXAMPLE)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["members"][0]["provisional"] is True and "2026.medical" in out["provisional_figures"]


def _member(**changes: object) -> dict:
    return {"members": [{**EXAMPLE["members"][0], **changes}]}


@pytest.mark.parametrize(("body", "args", "says"), [
    ("{not json", [], "is not UTF-8 JSON"),
    (_member(colour="red"), [], "members.0.colour: Extra inputs are not permitted"),
    (_member(public_pension_receipts=1530000.5), [], "members.0.public_pension_receipts"),
    (_member(public_pension_receipts="1530000"), [], "members.0.public_pension_receipts"),
    (_member(public_pension_receipts=-1), [], "members.0.public_pension_receipts"),
    (_member(birth_date="1948-13-01"), [], "members.0.birth_date"),
    (_member(died_on="2025-06-01", lost_on="2025-06-01"), [], "day after died_on"),
    (_member(insured=False), [], "refused: a household to assess has at least one insured member"),
    ({"members": []}, [], "members: List should have at least 1 item"),
    ({**EXAMPLE, "fiscal_year": 2024}, [], "the file is for fiscal year 2024, not 2025"),
    (EXAMPLE, ["--fiscal-year", "1999"], "refused: no premium parameters for fiscal year 1999"),
])
def test_bad_input_is_one_line_and_exit_status_2(tmp_path, capsys, body, args, says) -> None:
    argv = ["premium", "--fiscal-year", "2025", "--household", _file(tmp_path, body), *args]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    assert says in captured.err and "Traceback" not in captured.err


def test_a_missing_file_is_exit_status_2(tmp_path, capsys) -> None:
    assert main(["premium", "--fiscal-year", "2025", "--household", str(tmp_path / "none.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_death_counts_from_the_next_day(tmp_path, capsys) -> None:
    # died 2025-04-30 → 喪失 5/1 → April only: 17,400 / 12 = 1,450 → 1,400
    assert main(["premium", "--fiscal-year", "2025", "--household",
                 _file(tmp_path, _member(died_on="2025-04-30"))]) == 0
    member = json.loads(capsys.readouterr().out)["members"][0]
    assert (member["months"], member["annual_premium"]) == (1, 1400)


def test_the_api_gives_the_same_answer(api, auth) -> None:
    for staff in (CLERK, OFFICER):
        r = api.post("/assessment/estimates", params={"fiscal_year": 2025}, json=EXAMPLE, headers=auth(staff))
        assert r.status_code == 200, r.text
        assert r.json() == ANSWER
    r = api.post("/assessment/estimates", json={**EXAMPLE, "fiscal_year": 2025}, headers=auth(CLERK))
    assert r.json() == ANSWER


def test_the_api_refuses_those_without_assessment_read(api, auth) -> None:
    assert_problem(api.post("/assessment/estimates", params={"fiscal_year": 2025}, json=EXAMPLE,
                            headers=auth(AUDITOR)), 403, "forbidden")


@pytest.mark.parametrize(("body", "query", "status", "code"), [
    (EXAMPLE, {}, 422, "fiscal-year-required"),
    ({**EXAMPLE, "fiscal_year": 2024}, {"fiscal_year": 2025}, 422, "fiscal-year-mismatch"),
    (EXAMPLE, {"fiscal_year": 2019}, 422, "unknown-fiscal-year"),
    (_member(colour="red"), {"fiscal_year": 2025}, 422, "unknown-field"),
    (_member(salary_receipts=1.5), {"fiscal_year": 2025}, 422, "validation-failed"),
    (_member(former_dependant=True), {"fiscal_year": 2025}, 422, "invalid-household"),
])
def test_the_api_answers_bad_input_with_a_problem(api, auth, body, query, status, code) -> None:
    r = api.post("/assessment/estimates", params=query, json=body, headers=auth(CLERK))
    problem = assert_problem(r, status, code)
    if code == "invalid-household":
        assert [e["field"] for e in problem["errors"]] == ["members[0].acquired_on"]
