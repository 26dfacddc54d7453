"""Retention rules (PIA-III-7-e): period arithmetic by hand (民法第140条, 第143条), configuration of the periods the
city must confirm, and every declared table either located or exempt."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from functions.deletion.rules.certificate import backups_clear_on
from functions.deletion.rules.locators import EXEMPT, LOCATORS
from functions.deletion.rules.retention import (
    RETENTION_RULES,
    Method,
    Trigger,
    configured_rules,
    erasable_from,
    period_end,
    rule,
    started_on,
)
from shared.domain.errors import Invalid
from shared.storage import STORAGE


def test_a_two_year_claim_from_a_due_date() -> None:
    # 納期限 2024-04-30: counting starts 2024-05-01 (初日不算入); two years end 2026-04-30 (the day before
    # 2026-05-01); the record may go on 2026-05-01.
    levy = rule("levy-records")
    assert period_end(date(2024, 5, 1), 2) == date(2026, 4, 30)
    assert erasable_from(date(2024, 4, 30), levy) == date(2026, 5, 1)


def test_a_period_starting_on_29_february_ends_on_the_last_day_of_february() -> None:
    # event 2024-02-28 → first day 2024-02-29; 2026 has no 2-29, so the period ends 2026-02-28 (民法143②);
    # erasable 2026-03-01.
    assert period_end(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert erasable_from(date(2024, 2, 28), rule("levy-records")) == date(2026, 3, 1)
    # 2028 is a leap year: the corresponding day exists, the period ends the day before it.
    assert period_end(date(2024, 2, 29), 4) == date(2028, 2, 28)


def test_former_insured_my_number_and_record() -> None:
    # 資格喪失 2023-03-31: first day 2023-04-01; 2 years end 2025-03-31 → number erasable 2025-04-01;
    # 5 years end 2028-03-31 → record erasable 2028-04-01.
    assert erasable_from(date(2023, 3, 31), rule("former-insured-mynumber")) == date(2025, 4, 1)
    assert erasable_from(date(2023, 3, 31), rule("former-insured-record")) == date(2028, 4, 1)


def test_exchange_files_go_31_days_after_writing() -> None:
    # written 2026-01-01: 30 days counted from 01-02 end 01-31; erasable 02-01.
    assert erasable_from(date(2026, 1, 1), rule("exchange-files")) == date(2026, 2, 1)


def test_batch_print_files_go_91_days_after_writing() -> None:
    # written 2027-07-10 (the renewal): 90 days counted from 07-11 end 10-08; erasable 10-09.
    assert erasable_from(date(2027, 7, 10), rule("print-runs")) == date(2027, 10, 9)
    assert rule("print-runs").stores == ("documents/notices/",) and rule("print-runs").method is Method.RECORD


def test_a_print_file_never_outlives_a_record_it_was_printed_from() -> None:
    """Files hold many persons and cannot be erased per person, so they must go before any erasure of a person's
    name: the spool's period is shorter than that of every rule that erases a person's records."""
    day = date(2027, 7, 10)
    spool = erasable_from(day, rule("print-runs"))
    personal = [r for r in configured_rules({"CHOJU_RETENTION_YEARS": ",".join(
        f"{r.name}=1" for r in RETENTION_RULES if r.configurable)}) if r.method is Method.RECORD
        and r.data_class in ("personal", "specific-personal") and r.name not in ("print-runs", "exchange-files")]
    assert personal and all(spool < erasable_from(day, r) for r in personal)  # the city's shortest settings too
    # twin: a spool kept a year would outlive a 1-year setting
    longer = replace(rule("print-runs"), years=1, days=1)
    assert not all(erasable_from(day, longer) < erasable_from(day, r) for r in personal)


def test_the_sweep_worker_may_erase_every_object_store_of_every_rule() -> None:
    from functions.deletion.workflow import SWEEP_WORKER_NEEDS

    objects = {s for r in RETENTION_RULES if r.method is not Method.KEEP for s in r.stores if "/" in s}
    assert objects <= set(SWEEP_WORKER_NEEDS.buckets_erase), objects - set(SWEEP_WORKER_NEEDS.buckets_erase)


def test_the_api_function_may_read_what_every_rule_plans_from_and_erase_nothing() -> None:
    """The plan (a route) reads each rule's tables and lists the versions of the objects it erases by age, in both
    copies; the erase rights are the sweep worker's alone."""
    from functions.deletion.workflow import WORKFLOW

    needs = WORKFLOW.role_needs
    tables = {s for r in RETENTION_RULES if r.method is not Method.KEEP for s in r.stores if "/" not in s}
    assert tables <= set(needs.all_tables_read), tables - set(needs.all_tables_read)
    aged = {s for r in RETENTION_RULES if r.method is not Method.KEEP and r.trigger is Trigger.OBJECT_WRITTEN
            for s in r.stores}
    assert aged <= set(needs.buckets_versions)
    replicated = {s for s in aged if STORAGE.bucket(s.split("/")[0]).replicate_to_secondary}
    assert replicated and replicated <= set(needs.replicas_versions)
    assert not needs.buckets_erase and not needs.buckets_write and "mynumber" not in needs.keys
    # twin: a rule planned from a table the API may not read would be caught
    assert not {"income-records"} <= set(needs.all_tables_read)


def test_the_audit_trail_is_kept() -> None:
    audit = rule("audit")
    assert (audit.method, audit.years) == (Method.KEEP, 7)


def test_periods_the_city_must_confirm_are_configurable_with_their_question() -> None:
    configurable = {r.name for r in RETENTION_RULES if r.configurable}
    assert {"former-insured-mynumber", "former-insured-record", "levy-records", "arrears-charges"} <= configurable
    rules = configured_rules({"CHOJU_RETENTION_YEARS": "former-insured-record=7, arrears-charges=2"})
    assert rule("former-insured-record", rules).years == 7
    assert rule("arrears-charges", rules).years == 2
    assert rule("former-insured-mynumber", rules).years == 2  # untouched


@pytest.mark.parametrize("value", ["sessions=3", "former-insured-record=0", "former-insured-record=x", "nope=2"])
def test_a_bad_setting_is_refused_naming_it(value: str) -> None:
    with pytest.raises(Invalid, match="CHOJU_RETENTION_YEARS"):
        configured_rules({"CHOJU_RETENTION_YEARS": value})


def test_every_rule_cites_its_source() -> None:
    assert all(r.source for r in RETENTION_RULES)


def test_every_declared_table_is_located_or_exempt() -> None:
    located = {loc.table for loc in LOCATORS}
    assert {t.name for t in STORAGE.tables} - located - set(EXEMPT) == set()
    assert located & set(EXEMPT) == set()


def test_the_backup_date() -> None:
    # erased 2026-04-01; PITR 35 days, recovery points deleted after 35 days → nothing restorable from 2026-05-07
    # (2026-04-01 + 36 days: April has 30 days, 04-01 + 29 = 04-30, + 7 = 05-07).
    assert backups_clear_on(date(2026, 4, 1), 35, 35) == date(2026, 5, 7)
    assert backups_clear_on(date(2026, 4, 1), 1, 35) == date(2026, 5, 7)


def test_boundary_twin_a_strict_comparison_would_be_a_day_late() -> None:
    # The plan erases when erasable_from(event) <= as_of; a rule one day longer would not yet.
    mynumber = rule("former-insured-mynumber")
    as_of = date(2025, 4, 1)
    assert erasable_from(date(2023, 3, 31), mynumber) <= as_of
    assert not erasable_from(date(2023, 3, 31), replace(mynumber, days=1)) <= as_of


def test_where_a_levy_records_period_starts() -> None:
    """The latest date the rule's field names: a 期割's last 納期限, a 督促's deadline renewing the 時効 (法160②), a
    年度's 出納閉鎖; none at all and the record is kept."""
    levy = rule("levy-records")
    schedule = {"periods": [{"due_date": "2092-07-31"}, {"due_date": "2093-03-31"}]}
    assert started_on(schedule, levy.field_for("instalments")) == date(2093, 3, 31)
    ledger = {"due_date": "2094-07-31", "dunning": {"deadline": "2095-01-31"}}
    assert started_on(ledger, levy.field_for("collection-ledger")) == date(2095, 1, 31)
    assert started_on({"due_date": "2094-07-31"}, levy.field_for("collection-ledger")) == date(2094, 7, 31)
    assert started_on({"fiscal_year": 2092}, levy.field_for("levies")) == date(2093, 5, 31)
    assert started_on({"periods": []}, levy.field_for("instalments")) is None
