"""The assessment routes and commands over the embedded AWS: who may read and import, problems for bad input,
and the 口座振替 election through maker-checker (PIA-III-2-l, PIA-III-3-d)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from shared.cli.main import main
from tests.api.test_errors import assert_problem
from tests.assessment.files import income_file, income_record, result_record, results_file
from tests.conftest import env_for

CLERK, CHECKER, CHECKER2, OFFICER, AUDITOR, OPERATOR = "S1001", "S1003", "S1004", "S1005", "S1007", "S1008"
MITSU = "P0000000005"
TEXT = {"content-type": "text/plain"}
INCOME = income_file(2025, [income_record(1, "0000000005", total=700_000, pension_receipts=1_800_000,
                                          pension_income=700_000)])
RESULT = results_file(2025, [result_record(1, "0000000005", insured="10000005", annual=58_600, equal=29_000,
                                           income=29_646, reduction="2", base=270_000)])


@pytest.fixture
def july(clock):
    clock.now = datetime(2025, 7, 10, 0, 0, tzinfo=UTC)
    return clock


def imported(api, auth) -> None:
    for kind, counterparty, body in (("income", "shiminzei-renkei", INCOME), ("results", "kouiki-rengo", RESULT)):
        r = api.post(f"/assessment/imports/{kind}", params={"counterparty": counterparty}, content=body,
                     headers={**auth(OPERATOR), **TEXT})
        assert r.status_code == 200 and r.json()["status"] == "applied", r.text


def test_an_operator_imports_and_the_counter_reads_history_and_instalments(api, auth, july) -> None:
    imported(api, auth)
    for staff in (CLERK, OFFICER, CHECKER):
        levies = api.get(f"/assessment/persons/{MITSU}/levies", headers=auth(staff))
        assert levies.status_code == 200
        assert [(lv["annual_premium"], lv["check"]["status"]) for lv in levies.json()["levies"]] == [(58_600, "match")]
        schedule = api.get(f"/assessment/persons/{MITSU}/instalments", params={"fiscal_year": 2025},
                           headers=auth(staff)).json()
        assert sum(p["amount"] for p in schedule["periods"]) == 58_600 and len(schedule["periods"]) == 9


def test_the_same_file_again_is_already_applied(api, auth, july) -> None:
    imported(api, auth)
    again = api.post("/assessment/imports/results", params={"counterparty": "kouiki-rengo"}, content=RESULT,
                     headers={**auth(OPERATOR), **TEXT})
    assert again.json()["status"] == "already-applied"


@pytest.mark.parametrize(("staff", "method", "path"), [
    (AUDITOR, "GET", f"/assessment/persons/{MITSU}/levies"),
    (AUDITOR, "GET", f"/assessment/persons/{MITSU}/instalments?fiscal_year=2025"),
    (AUDITOR, "GET", "/assessment/discrepancies?fiscal_year=2025"),
    (CLERK, "POST", "/assessment/imports/results?counterparty=kouiki-rengo"),
    (OFFICER, "POST", "/assessment/imports/income?counterparty=shiminzei-renkei"),
])
def test_who_may_not_is_refused(api, auth, staff, method, path) -> None:
    r = api.request(method, path, content=RESULT if method == "POST" else None,
                    headers={**auth(staff), **(TEXT if method == "POST" else {})})
    assert_problem(r, 403, "forbidden")


@pytest.mark.parametrize(("method", "path", "body", "headers", "status", "code"), [
    ("GET", "/assessment/persons/P0000009999/levies", None, {}, 404, "not-found"),
    ("GET", "/assessment/persons/X1/levies", None, {}, 422, "validation-failed"),
    ("GET", f"/assessment/persons/{MITSU}/instalments", None, {}, 422, "validation-failed"),
    ("GET", f"/assessment/persons/{MITSU}/instalments?fiscal_year=2025", None, {}, 404, "not-found"),
    ("GET", "/assessment/discrepancies?fiscal_year=2025&limit=5000", None, {}, 422, "validation-failed"),
    ("POST", "/assessment/imports/results?counterparty=kouiki-rengo", b"", TEXT, 422, "empty-file"),
    ("POST", "/assessment/imports/results?counterparty=nobody", RESULT, TEXT, 422, "unknown-counterparty"),
    ("POST", "/assessment/imports/income?counterparty=kouiki-rengo", INCOME, TEXT, 422, "unknown-counterparty"),
    ("POST", "/assessment/imports/results?counterparty=kouiki-rengo", RESULT[:-121], TEXT, 422, "file-refused"),
    ("POST", "/assessment/imports/results?counterparty=kouiki-rengo", RESULT, {"content-type": "application/json"},
     415, "unsupported-media-type"),
    ("POST", "/assessment/imports/other?counterparty=kouiki-rengo", RESULT, TEXT, 415, "unsupported-media-type"),
])
def test_bad_requests_are_problems(api, auth, method, path, body, headers, status, code) -> None:
    staff = OPERATOR if method == "POST" else CLERK
    r = api.request(method, path, content=body, headers={**auth(staff), **headers})
    assert_problem(r, status, code)


def test_an_account_transfer_election_is_maker_checker_and_moves_the_year_to_ordinary(api, auth, july,
                                                                                      runtime) -> None:
    runtime.records("pension-deductions").put({
        "deduction_id": f"{MITSU}-2025", "person_id": MITSU, "fiscal_year": 2025, "pension_annual": 1_800_000,
        "kaigo_deducted": True, "kaigo_annual": 80_000, "previous_february": 5_000})
    body = {"person_id": MITSU, "effective_from": "2025-04-01", "reason": "口座振替依頼書 R7-001"}
    proposed = api.post("/assessment/elections", json=body, headers=auth(CLERK))
    assert proposed.status_code == 202, proposed.text
    request_id = proposed.json()["request_id"]
    assert runtime.records("collection-elections").query("by-person", "person_id", MITSU) == []  # not yet
    assert_problem(api.post(f"/assessment/changes/{request_id}/confirm", headers=auth(CLERK)), 403, "forbidden")
    confirmed = api.post(f"/assessment/changes/{request_id}/confirm", headers=auth(CHECKER))
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    [election] = runtime.records("collection-elections").query("by-person", "person_id", MITSU)
    assert (election["method"], election["effective_from"], election["status"]) == ("account-transfer",
                                                                                    "2025-04-01", "in-force")
    imported(api, auth)
    schedule = api.get(f"/assessment/persons/{MITSU}/instalments", params={"fiscal_year": 2025},
                       headers=auth(OFFICER)).json()
    # without the election: 仮徴収 5,000 × 3 and 本徴収 (58,600 + 80,000 ≤ 90万); with it: 9 普徴 期
    assert schedule["collection_method"] == "ordinary" and {p["method"] for p in schedule["periods"]} == {"ordinary"}
    withdrawal = api.post(f"/assessment/elections/{election['election_id']}/withdrawal",
                          json={"reason": "申出撤回"}, headers=auth(CLERK))
    assert withdrawal.status_code == 202
    api.post(f"/assessment/changes/{withdrawal.json()['request_id']}/confirm", headers=auth(CHECKER2))
    assert runtime.records("collection-elections").get(election["election_id"])["status"] == "withdrawn"


@pytest.mark.parametrize(("body", "code"), [
    ({"person_id": MITSU, "effective_from": "2025-04-01", "reason": "x", "bank": "0001"}, "unknown-field"),
    ({"person_id": MITSU, "effective_from": "2025-04-01", "reason": "x", "method": "cash"}, "validation-failed"),
    ({"person_id": "P0000009999", "effective_from": "2025-04-01", "reason": "x"}, "not-found"),
])
def test_a_bad_election_is_a_problem(api, auth, body, code) -> None:
    r = api.post("/assessment/elections", json=body, headers=auth(CLERK))
    assert_problem(r, 404 if code == "not-found" else 422, code)


# ---- the commands ----------------------------------------------------------------------------------------------
@pytest.fixture
def operator_env(runtime, state_dir, monkeypatch, july):
    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    return runtime


def test_the_import_commands_and_the_instalments_command(operator_env, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("shared.cli.main._operator_runtime", lambda args: operator_env)
    (tmp_path / "income.dat").write_bytes(INCOME)
    (tmp_path / "results.dat").write_bytes(RESULT)
    assert main(["import-income", str(tmp_path / "income.dat"), "--counterparty", "shiminzei-renkei"]) == 0
    assert main(["import-assessments", str(tmp_path / "results.dat"), "--counterparty", "kouiki-rengo"]) == 0
    out = capsys.readouterr().out
    assert "status=applied" in out and "checks_match=1" in out
    assert main(["instalments", "--fiscal-year", "2025", "--person", MITSU]) == 0
    view = json.loads(capsys.readouterr().out)
    assert (view["annual_premium"], view["periods"][0]["due_date"]) == (58_600, "2025-07-31")


@pytest.mark.parametrize(("argv", "says"), [
    (["instalments", "--fiscal-year", "2025", "--person", "nobody"], "is not a 宛名番号"),
    (["instalments", "--fiscal-year", "2025", "--person", "P0000009999"], "not-found: there is no such person"),
    (["instalments", "--fiscal-year", "2025", "--person", MITSU], "not-found: the person has no 期割"),
    (["import-assessments", "/no/such/file", "--counterparty", "kouiki-rengo"], "no such file"),
])
def test_bad_command_input_is_one_line_and_exit_status_2(operator_env, capsys, monkeypatch, argv, says) -> None:
    monkeypatch.setattr("shared.cli.main._operator_runtime", lambda args: operator_env)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert says in err and len(err.splitlines()) == 1


def test_a_refused_file_is_exit_status_1_with_its_rejects(operator_env, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("shared.cli.main._operator_runtime", lambda args: operator_env)
    bad = results_file(2025, [result_record(1, "0000009999", annual=100, equal=100)])
    (tmp_path / "bad.dat").write_bytes(bad)
    assert main(["import-assessments", str(tmp_path / "bad.dat"), "--counterparty", "kouiki-rengo"]) == 1
    out = capsys.readouterr().out
    assert "status=refused" in out and "reject row 1 atena_code: no person with this 宛名コード" in out
