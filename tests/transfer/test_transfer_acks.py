"""受付結果: the recipient's answer imported, rejected rows queued and resent in a correction file."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from functions.transfer.batch import scheduled_run
from shared.adapters.persons import PersonRepository
from shared.adapters.transfer_queue import TransferQueue
from tests.transfer.helpers import HANAKO, STEWARD, TARO, approve, queue, run, stored

ACK_KEY = "inbound/kouiki-rengo/ack/kouiki-daily_2026-03-30.ack.csv"


def _sent_day(api, auth, runtime) -> None:
    queue(runtime, TARO, "eligibility-acquired", datetime(2026, 3, 30, 1, tzinfo=UTC), "Q-1")
    queue(runtime, HANAKO, "insured-person-changed", datetime(2026, 3, 30, 2, tzinfo=UTC), "Q-2")
    approve(api, auth)
    assert run(api, auth, "kouiki-daily", "2026-03-30").json()["result"] == "sent"


def _ack(api, auth, runtime, text: str, period: str = "2026-03-30"):
    runtime.objects("exchange").put(ACK_KEY, text.encode("cp932"), "text/csv")
    return api.post("/transfer/acks", json={"job": "kouiki-daily", "period": period, "key": ACK_KEY},
                    headers=auth(STEWARD))


def test_rejected_rows_are_requeued_and_resent_corrected(api: TestClient, auth, runtime) -> None:
    _sent_day(api, auth, runtime)
    r = _ack(api, auth, runtime, "行番号,宛名番号,結果,理由\r\n1,P0000000001,0,\r\n2,P0000000002,9,住所不備\r\n")
    assert r.status_code == 200 and r.json() == {"job": "kouiki-daily", "period": "2026-03-30", "accepted": 1,
                                                 "rejected": 1, "requeued": 1}
    assert _ack(api, auth, runtime, "行番号,宛名番号,結果,理由\r\n2,P0000000002,9,住所不備\r\n").json()["requeued"] == 0
    person = runtime.repository(PersonRepository).get(HANAKO)
    runtime.records("persons").put({**person, "address": "熊本市中央区水前寺6-18-1"})  # corrected
    report = scheduled_run("kouiki-daily", {"today": "2026-04-01"}, runtime)
    correction = report["correction"]
    assert (correction["period"], correction["rows"], correction["result"]) == ("2026-04-01-C1", 1, "sent")
    body = stored(runtime, correction["key"])["Body"].read().decode("cp932")
    assert "熊本市中央区水前寺6-18-1" in body and TARO not in body
    assert not [e for e in runtime.repository(TransferQueue).ready("kouiki-rengo") if e["kind"].startswith("corr")]
    assert scheduled_run("kouiki-daily", {"today": "2026-04-01"}, runtime)["correction"] is None


def test_a_malformed_ack_is_refused_whole(api: TestClient, auth, runtime) -> None:
    """Design rule 9: nothing is queued from a file with a bad line (the twin of the test above)."""
    _sent_day(api, auth, runtime)
    r = _ack(api, auth, runtime, "行番号,宛名番号,結果,理由\r\n1,P0000000002,9,x\r\n2,P0000000001,7,?\r\n")
    assert r.status_code == 422 and r.json()["code"] == "ack-invalid"
    assert not [e for e in runtime.repository(TransferQueue).ready("kouiki-rengo") if e["kind"].startswith("corr")]


def test_an_ack_for_a_period_never_sent_or_from_elsewhere_is_refused(api: TestClient, auth, runtime) -> None:
    _sent_day(api, auth, runtime)
    assert _ack(api, auth, runtime, "行番号,宛名番号,結果,理由\r\n", period="2026-03-29").status_code == 404
    other = api.post("/transfer/acks", json={"job": "kouiki-daily", "period": "2026-03-30",
                                             "key": "inbound/jyuki-renkei/x.csv"}, headers=auth(STEWARD))
    assert other.status_code == 422 and other.json()["code"] == "ack-invalid"
    missing = api.post("/transfer/acks", json={"job": "kouiki-daily", "period": "2026-03-30",
                                               "key": "inbound/kouiki-rengo/none.csv"}, headers=auth(STEWARD))
    assert missing.status_code == 404
