"""The batch entry points (as EventBridge calls them), the daily extracts for the transfer workflow, and the
operator commands `choju collection-import` and `choju collection-run`."""

from __future__ import annotations

import json

import pytest

from functions.collection import batch
from functions.collection.rules.payment_file import Channel
from shared.adapters.transfer_queue import TransferQueue
from shared.cli.main import main
from shared.domain.counterparties import KOUIKI_RENGO
from tests.collection.seed import HANAKO, TARO, fix_clock, payment_file, seed_instalment
from tests.conftest import env_for


@pytest.fixture
def two_periods(runtime, clock):
    fix_clock(clock, "2025-08-01")
    return seed_instalment(runtime, TARO, 1, 9_800, "2025-07-31"), seed_instalment(runtime, HANAKO, 1, 5_000,
                                                                                   "2025-07-31")


def test_files_dropped_in_the_exchange_bucket_are_applied_once(runtime, two_periods) -> None:
    taro, _ = two_periods
    content = payment_file([("R1", taro.payment_number, 9_800, "2025-07-30")])
    runtime.objects("exchange").put("inbound/cvs-agent/20250801-final.dat", content, "application/octet-stream")
    runtime.objects("exchange").put("inbound/cvs-agent/broken.dat", b"1" * 119, "application/octet-stream")
    first = batch.inbound_files({}, None, runtime=runtime)
    assert sorted((f["key"], f["status"]) for f in first["files"]) == [
        ("inbound/cvs-agent/20250801-final.dat", "applied"), ("inbound/cvs-agent/broken.dat", "refused")]
    second = batch.inbound_files({}, None, runtime=runtime)
    assert second["files"] == []  # the good file was applied, the broken one rejected: neither again


def test_the_daily_jobs(runtime, two_periods) -> None:
    _, hanako = two_periods
    runtime.objects("exchange").put("inbound/cvs-agent/a.dat", payment_file(
        [("R1", hanako.payment_number, 5_000, "2025-07-31")]), "application/octet-stream")
    batch.inbound_files({}, None, runtime=runtime)
    assert batch.daily_dunning({"today": "2025-08-15"}, None, runtime=runtime)["dunned"] == 1  # TARO
    assert batch.settle({"today": "2025-08-15"}, None, runtime=runtime) == {"posted": {}}
    extracts = batch.daily_extracts({"today": "2025-08-02"}, None, runtime=runtime)  # the postings of 8/1
    assert extracts["receipts"]["rows"] == 1 and extracts["arrears"]["rows"] == 1
    rows = runtime.objects("exchange").get(extracts["arrears"]["key"]).decode().splitlines()
    assert [json.loads(r)["person_id"] for r in rows] == [TARO]
    queued = runtime.repository(TransferQueue).ready(KOUIKI_RENGO)
    assert sorted(q["kind"] for q in queued if q["kind"].startswith("collection-")) == [
        "collection-arrears-daily", "collection-receipts-daily"]
    batch.daily_extracts({"today": "2025-08-02"}, None, runtime=runtime)  # again: the same entries, not new ones
    assert len(runtime.repository(TransferQueue).ready(KOUIKI_RENGO)) == len(queued)


@pytest.fixture
def operator_env(runtime, state_dir, monkeypatch):
    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    return runtime


def test_collection_import_applies_a_file_and_reports_a_rejected_one(operator_env, two_periods, tmp_path,
                                                                     capsys) -> None:
    taro, _ = two_periods
    good = tmp_path / "final.dat"
    good.write_bytes(payment_file([("R1", taro.payment_number, 9_800, "2025-07-30")]))
    assert main(["collection-import", str(good), "--counterparty", "cvs-agent", "--kind", "payments"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["yen_posted"] == 9_800
    bad = tmp_path / "bad.dat"
    bad.write_bytes(payment_file([("R2", taro.payment_number, 9_800, "2025-07-30")], Channel.COUNTER)[:-1])
    assert main(["collection-import", str(bad), "--counterparty", "shitei-kinyu", "--kind", "payments"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rejected: the 収納 file is rejected at record 4") and "Traceback" not in err
    assert main(["collection-import", str(good), "--counterparty", "nobody", "--kind", "payments"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_collection_run_jobs_and_their_required_arguments(operator_env, two_periods, capsys) -> None:
    assert main(["collection-run", "debit-request"]) == 2
    assert capsys.readouterr().err.strip() == "choju collection-run: debit-request needs --debit-date"
    assert main(["collection-run", "dunning", "--date", "2025-08-15"]) == 0
    assert json.loads(capsys.readouterr().out)["dunned"] == 2
    assert main(["collection-run", "write-off-candidates", "--date", "2025-08-15"]) == 0
    assert json.loads(capsys.readouterr().out)["periods"] == []
    with pytest.raises(SystemExit) as stopped:
        main(["collection-run", "nothing"])
    assert stopped.value.code == 2
