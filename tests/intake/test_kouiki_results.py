"""The 広域連合's 被保険者情報 file (issue 12 item 8): applied as the amount of record, 資格 dates that disagree with
the city's own view become discrepancies, a bad file is refused whole, the same file is applied once.

Records are built by hand from the table in docs/intake.md ("広域連合 被保険者情報"), not from the code's layout.
Demo (shared/local/demo_data.py): 熊本 太郎 P0000000001 insured from his 75th birthday 2023-05-10 (法第52条),
被保険者番号 10000001; 熊本 花子 P0000000002, born 1950-11-03, insured from 2025-11-03; 阿蘇 次郎 P0000000004,
born 1952-01-20, not yet insured.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions.intake.services.kouiki_import import file_identity, import_kouiki_results
from shared.adapters.persons import PersonRepository
from shared.domain.fixed_width import FileRejected

CLERK, OPERATOR = "S1001", "S1008"
TARO, HANAKO, JIRO = "P0000000001", "P0000000002", "P0000000004"


@pytest.fixture(autouse=True)
def _on_2026_11_27(clock) -> None:
    clock.now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


def header(created: str = "20261120") -> str:
    # 1 データ区分 "1" | 2–9 保険者番号 | 10–15 市町村コード | 16–23 作成年月日 | 24–120 予備
    return "1" + "39430016" + "431001" + created + " " * 97


def data(no: int, atena: str, insured: str, acquired: str, lost: str, ratio: str, year: str, limit: str) -> str:
    # 1 "2" | 2–7 レコード番号 | 8–17 宛名コード | 18–25 被保険者番号 | 26–33 資格取得日 | 34–41 資格喪失日
    # | 42 負担割合 | 43–46 判定年度 | 47–48 限度額区分 | 49–120 予備
    return "2" + f"{no:06d}" + atena + insured + acquired + lost + ratio + year + limit + " " * 72


def trailer(count: int) -> str:
    return "8" + f"{count:06d}" + " " * 113  # 1 "8" | 2–7 件数 | 8–120 予備


def file(*rows: str, crlf: bool = True) -> bytes:
    records = [header(), *rows, trailer(len(rows))]
    assert all(len(r) == 120 for r in records)
    return ("\r\n" if crlf else "").join(records).encode("ascii") + (b"\r\n" if crlf else b"")


TARO_2 = data(1, "0000000001", "10000001", "20230510", "00000000", "2", "2026", "04")  # 2割 一般Ⅱ
HANAKO_AGREES = data(2, "0000000002", "10000002", "20251103", "00000000", "1", "2026", "05")
HANAKO_DIFFERS = data(2, "0000000002", "10000002", "20251101", "00000000", "1", "2026", "05")


def person(runtime, person_id: str) -> dict:
    found = runtime.repository(PersonRepository).get(person_id)
    assert found is not None
    return found


def reached_75(runtime, person_id: str, birthday: str) -> None:
    """The person as the reaching-75 run leaves them: insured from the birthday, no 被保険者番号 yet."""
    record = person(runtime, person_id)
    record.update(eligibility_status="insured", eligibility_acquired_on=birthday,
                  eligibility_change_reason="75歳到達", insurer="43")
    record.pop("insured_number", None)
    runtime.repository(PersonRepository).put_if_version({**record, "version": record["version"] + 1},
                                                        record["version"])


def test_a_new_entrant_gets_the_insured_number_from_the_file(runtime) -> None:
    reached_75(runtime, JIRO, "2027-01-20")
    assert not person(runtime, JIRO).get("insured_number")  # the twin: before the file, none
    report = import_kouiki_results(runtime, file(data(1, "0000000004", "10000004", "20270120", "00000000", "1",
                                                      "2026", "05")))
    assert (report.status, report.rows, report.applied, report.discrepancies) == ("applied", 1, 1, 0)
    jiro = person(runtime, JIRO)
    assert (jiro["insured_number"], jiro["copayment_ratio"], jiro["copayment_year"], jiro["limit_class"]) == \
        ("10000004", "1割", "2026", "一般Ⅰ")


def test_2_wari_with_its_judgement_year_is_the_amount_of_record(runtime) -> None:
    before = person(runtime, TARO)
    assert before.get("copayment_ratio") is None
    import_kouiki_results(runtime, file(TARO_2))
    taro = person(runtime, TARO)
    assert (taro["copayment_ratio"], taro["copayment_year"], taro["limit_class"]) == ("2割", "2026", "一般Ⅱ")
    assert taro["eligibility_acquired_on"] == "2023-05-10" and taro["version"] == before["version"] + 1


def test_a_limit_class_that_does_not_go_with_the_ratio_refuses_the_file(runtime) -> None:
    # 法第67条第1項 / 令第14条 [P]: 一般Ⅰ goes with 1割; a 2割 person is 一般Ⅱ (the twin above is applied)
    before = person(runtime, TARO)
    with pytest.raises(FileRejected) as refused:
        import_kouiki_results(runtime, file(data(1, "0000000001", "10000001", "20230510", "00000000", "2", "2026",
                                                 "05")))
    assert [(e.record, e.field) for e in refused.value.record_errors] == [(2, "limit_class")]
    assert person(runtime, TARO) == before


def test_an_acquisition_date_that_disagrees_with_the_register_is_a_discrepancy_not_an_overwrite(runtime) -> None:
    before = person(runtime, HANAKO)
    report = import_kouiki_results(runtime, file(HANAKO_DIFFERS))
    assert report.discrepancies == 1
    hanako = person(runtime, HANAKO)
    assert hanako["eligibility_acquired_on"] == before["eligibility_acquired_on"] == "2025-11-03"
    assert hanako["copayment_ratio"] == "1割"  # the rest of the row is applied
    found = list(runtime.records("eligibility-discrepancies").scan_all())
    assert [(d["person_id"], d["field"], d["city_value"], d["kouiki_value"], d["basis"], d["status"])
            for d in found] == [(HANAKO, "eligibility_acquired_on", "2025-11-03", "2025-11-01", "住基", "open")]


def test_an_acquisition_date_that_agrees_makes_no_discrepancy(runtime) -> None:
    report = import_kouiki_results(runtime, file(HANAKO_AGREES))
    assert (report.status, report.discrepancies) == ("applied", 0)
    assert list(runtime.records("eligibility-discrepancies").scan_all()) == []


def test_a_bad_date_refuses_the_whole_file_naming_the_record(runtime) -> None:
    before = person(runtime, TARO)
    bad = data(2, "0000000002", "10000002", "20251332", "00000000", "1", "2026", "05")
    with pytest.raises(FileRejected) as refused:
        import_kouiki_results(runtime, file(TARO_2, bad))
    assert [(e.record, e.position, e.field) for e in refused.value.record_errors] == [(3, 26, "acquired_on")]
    assert "20251332" not in refused.value.detail
    assert person(runtime, TARO) == before  # record 2 was valid and is not applied either


def test_an_unknown_atena_code_refuses_the_whole_file_and_is_recorded(runtime) -> None:
    before = person(runtime, TARO)
    unknown = data(2, "0000009999", "10009999", "20251103", "00000000", "1", "2026", "05")
    content = file(TARO_2, unknown)
    with pytest.raises(FileRejected) as refused:
        import_kouiki_results(runtime, content)
    assert [(e.record, e.field) for e in refused.value.record_errors] == [(3, "atena_code")]
    assert person(runtime, TARO) == before
    files = [f for f in runtime.records("inbound-files").scan_all() if f.get("kind") == "eligibility-results"]
    assert [(f["status"], f["rejected"]) for f in files] == [("refused", 1)]
    with pytest.raises(FileRejected):  # sent again: refused again, never "already-applied"
        import_kouiki_results(runtime, content)


def test_a_record_of_the_wrong_length_refuses_the_file(runtime) -> None:
    short = ("\r\n".join([header(), TARO_2, HANAKO_AGREES[:119], trailer(2)]) + "\r\n").encode("ascii")
    with pytest.raises(FileRejected) as refused:
        import_kouiki_results(runtime, short)
    # the byte count no longer divides into 122-byte records: named at the last record
    assert [(e.record, e.field) for e in refused.value.record_errors] == [(4, "record")]
    assert person(runtime, TARO).get("copayment_ratio") is None


def test_a_trailer_count_that_does_not_match_refuses_the_file(runtime) -> None:
    content = ("\r\n".join([header(), TARO_2, trailer(2)]) + "\r\n").encode("ascii")
    with pytest.raises(FileRejected) as refused:
        import_kouiki_results(runtime, content)
    assert [(e.record, e.field) for e in refused.value.record_errors] == [(3, "count")]


def test_an_older_judgement_year_never_overwrites_a_newer_one(runtime) -> None:
    import_kouiki_results(runtime, file(TARO_2))
    older = data(1, "0000000001", "10000001", "20230510", "00000000", "1", "2025", "05")
    with pytest.raises(FileRejected) as refused:
        import_kouiki_results(runtime, file(older))
    assert [(e.record, e.field) for e in refused.value.record_errors] == [(2, "ratio_year")]
    assert person(runtime, TARO)["copayment_ratio"] == "2割"


def test_the_same_records_sent_again_are_applied_once_with_or_without_line_ends(runtime) -> None:
    first = import_kouiki_results(runtime, file(TARO_2, HANAKO_DIFFERS))
    taro = person(runtime, TARO)
    assert first.status == "applied"
    for again in (file(TARO_2, HANAKO_DIFFERS), file(TARO_2, HANAKO_DIFFERS, crlf=False)):
        assert import_kouiki_results(runtime, again).status == "already-applied"
    assert person(runtime, TARO) == taro
    assert len(list(runtime.records("eligibility-discrepancies").scan_all())) == 1


def test_the_clerk_works_through_the_list(api, auth, runtime) -> None:
    import_kouiki_results(runtime, file(HANAKO_DIFFERS))
    r = api.get("/intake/discrepancies", headers=auth(CLERK))
    assert r.status_code == 200, r.text
    [entry] = r.json()["discrepancies"]
    assert (entry["person_id"], entry["label"], entry["city_value"], entry["kouiki_value"]) == \
        (HANAKO, "資格取得日", "2025-11-03", "2025-11-01")
    assert "mynumber" not in r.text and "98320567321" not in r.text
    path = f"/intake/discrepancies/{entry['discrepancy_id']}/resolve"
    assert api.post(path, json={"reason": "x"}, headers=auth(OPERATOR)).status_code == 403
    assert api.post(path, json={"reason": ""}, headers=auth(CLERK)).status_code == 422
    done = api.post(path, json={"reason": "住基の取得日が正しい: 広域連合に訂正依頼"}, headers=auth(CLERK))
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["resolved_by"]) == ("resolved", CLERK)
    again = api.post(path, json={"reason": "again"}, headers=auth(CLERK))
    assert (again.status_code, again.json()["code"]) == (409, "discrepancy-resolved")
    assert api.get("/intake/discrepancies", headers=auth(CLERK)).json()["discrepancies"] == []
    resolved = api.get("/intake/discrepancies", params={"status": "resolved"}, headers=auth(CLERK)).json()
    assert [d["discrepancy_id"] for d in resolved["discrepancies"]] == [entry["discrepancy_id"]]
    missing = api.post("/intake/discrepancies/KDnone/resolve", json={"reason": "x"}, headers=auth(CLERK))
    assert missing.status_code == 404


# --- a new 負担割合 issues a `change` 資格確認書 (issue 12 item 7; docs/intake.md "資格確認書") ----------------------

def change_cards(runtime) -> list[dict]:
    return [c for c in runtime.records("certificates").scan_all() if c.get("reason") == "change"]


def set_ratio(runtime, person_id: str, ratio: str, year: str) -> None:
    record = person(runtime, person_id)
    runtime.repository(PersonRepository).put_if_version(
        {**record, "copayment_ratio": ratio, "copayment_year": year, "version": record["version"] + 1},
        record["version"])


def test_a_new_ratio_within_the_judgement_year_issues_a_change_card_from_the_file_date(runtime) -> None:
    # 太郎 is insured (demo), 1割 for 判定年度 2026; the 広域連合's file of 2026-11-20 re-judges him 2割 一般Ⅱ
    # (a 世帯員の異動 within the year). The card holds from the file's 作成年月日 2026-11-20 (later than the
    # year's 8/1) to the 7/31 ending that card year; 交付年月日 the day of the import (JST 2026-11-27).
    set_ratio(runtime, TARO, "1割", "2026")
    content = file(TARO_2)
    import_kouiki_results(runtime, content)
    [card] = change_cards(runtime)
    assert card["certificate_id"] == f"QC-{TARO}-change-{file_identity(content)[:16]}-2"  # file and record
    assert (card["person_id"], card["issued_on"], card["valid_from"], card["valid_until"]) == \
        (TARO, "2026-11-27", "2026-11-20", "2027-07-31")
    assert (card["copayment_ratio"], card["limit_class"], card["insured_number"], card["print"]["copayment"]) == \
        ("2割", "一般Ⅱ", "10000001", "2割")


def test_a_new_judgement_year_card_holds_from_its_august_first_not_the_file_date(runtime, clock) -> None:
    # The 割合 is judged every August for 8月〜翌年7月 (川崎町; domain-rules §5): the 2027 judgement sent on
    # 2027-07-20 holds from 2027-08-01, and the card made on 2027-07-22 is valid from then, not from the print day.
    clock.now = datetime(2027, 7, 22, 1, 0, tzinfo=UTC)
    set_ratio(runtime, TARO, "2割", "2026")
    row = data(1, "0000000001", "10000001", "20230510", "00000000", "1", "2027", "05")
    import_kouiki_results(runtime, ("\r\n".join([header("20270720"), row, trailer(1)]) + "\r\n").encode("ascii"))
    [card] = change_cards(runtime)
    assert (card["issued_on"], card["valid_from"], card["valid_until"], card["copayment_ratio"]) == \
        ("2027-07-22", "2027-08-01", "2028-07-31", "1割")


def test_the_same_ratio_issues_no_card(runtime) -> None:
    # the twin: 太郎 is 2割 already; the file confirms 2割 (judged for the same year): nothing a card prints changed
    set_ratio(runtime, TARO, "2割", "2026")
    report = import_kouiki_results(runtime, file(TARO_2))
    assert report.status == "applied" and person(runtime, TARO)["copayment_ratio"] == "2割"
    assert change_cards(runtime) == []


def test_a_person_not_insured_gets_no_change_card(runtime) -> None:
    # 次郎 is not insured yet (demo): his 割合 is recorded, no card is made for it
    import_kouiki_results(runtime, file(data(1, "0000000004", "10000004", "20270120", "00000000", "1", "2026", "05")))
    assert person(runtime, JIRO)["copayment_ratio"] == "1割"
    assert change_cards(runtime) == []


def test_a_chunk_run_again_writes_the_same_card_once(runtime) -> None:
    from functions.intake.services.kouiki_import import KOUIKI_IMPORT
    from shared.batch import get_job
    from shared.batch.model import Chunk

    set_ratio(runtime, TARO, "1割", "2026")
    report = import_kouiki_results(runtime, file(TARO_2))
    [card] = change_cards(runtime)
    job = get_job(runtime, report.job_id)
    taro = person(runtime, TARO)  # as if the chunk crashed after its cards, before its persons
    runtime.repository(PersonRepository).put_if_version(
        {**taro, "copayment_ratio": "1割", "last_kouiki_ref": None, "version": taro["version"] + 1}, taro["version"])
    chunk = Chunk(job.job_id, 0, 0, "running", 2, {"first": 0, "last": 1}, {}, None, None, None, None, None)
    KOUIKI_IMPORT.apply(runtime, job, chunk)
    assert change_cards(runtime) == [card]


def test_the_first_insured_number_replaces_the_card_made_without_it(runtime) -> None:
    # 次郎 reaches 75 on 2027-01-20; the reaching-75 run made his card before the 広域連合 assigned a number, so it
    # printed none. His 割合 (1割, 判定年度 2026) is already known; the file of 2026-11-20 brings 10000004 and the
    # same 1割: the card now prints the number. 発効期日: the 資格取得日 2027-01-20 (later than the file's
    # 2026-11-20 and the year's 8/1, rules.certificates.effective_from); 有効期限 2027-07-31.
    reached_75(runtime, JIRO, "2027-01-20")
    set_ratio(runtime, JIRO, "1割", "2026")
    import_kouiki_results(runtime, file(data(1, "0000000004", "10000004", "20270120", "00000000", "1", "2026", "05")))
    [card] = change_cards(runtime)
    assert (card["person_id"], card["insured_number"], card["print"]["insured_number"]) == \
        (JIRO, "10000004", "10000004")
    assert (card["valid_from"], card["valid_until"], card["copayment_ratio"]) == ("2027-01-20", "2027-07-31", "1割")


def test_a_new_insured_number_with_the_same_ratio_issues_a_card_from_the_file_date(runtime) -> None:
    # 太郎 (demo 10000001, 2割 for 2026 here) is renumbered 10000099 by the file of 2026-11-20 with the same 2割:
    # the card holds from 2026-11-20 (the 8/1 of 判定年度 2026 has passed) to 2027-07-31.
    set_ratio(runtime, TARO, "2割", "2026")
    import_kouiki_results(runtime, file(data(1, "0000000001", "10000099", "20230510", "00000000", "2", "2026", "04")))
    [card] = change_cards(runtime)
    assert (card["insured_number"], card["valid_from"], card["valid_until"]) == ("10000099", "2026-11-20",
                                                                                 "2027-07-31")
