"""The transfer jobs' EventBridge schedules come from workflow.py data (rules/jobs.py), under Pulumi mocks."""

from __future__ import annotations

from functions.transfer.rules.jobs import JOBS
from tests.infra.conftest import Declared


def test_every_transfer_job_has_its_rule_target_and_function(stack: Declared) -> None:
    prefix = stack.stack.workloads.settings.name_prefix
    rules = {r.inputs["name"]: r.inputs for r in stack.of("cloudwatch/eventRule:EventRule")}
    for job in JOBS:
        rule = rules[f"{prefix}-{job.name}"]
        assert (rule["scheduleExpression"], rule["description"]) == (job.schedule, job.schedule_note)
        function = stack.one("lambda/function:Function", f"workloads-transfer-{job.name}").inputs
        assert function["handler"] == f"functions.transfer.batch.{job.name.replace('-', '_')}"
        assert function["reservedConcurrentExecutions"] == 1  # one run of a job at a time: periods in order
    assert rules[f"{prefix}-kouiki-daily"]["scheduleExpression"] == "cron(0 16 * * ? *)"  # 01:00 JST


def test_a_job_without_a_schedule_gets_no_rule(stack: Declared) -> None:
    """The twin: rules exist only for declared jobs (nothing else is named after the transfer workflow)."""
    prefix = stack.stack.workloads.settings.name_prefix
    names = {r.inputs["name"] for r in stack.of("cloudwatch/eventRule:EventRule")}
    transfer_rules = {n for n in names if any(n == f"{prefix}-{j.name}" for j in JOBS)}
    assert len(transfer_rules) == len(JOBS)
    assert f"{prefix}-transfer" not in names
