"""Batch entry points and what triggers them: one declaration for the code, local mode and the Pulumi program."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    expression: str  # EventBridge schedule expression, in UTC
    description: str


@dataclass(frozen=True)
class BucketEvent:
    bucket: str  # logical bucket name from the storage declaration
    prefix: str


@dataclass(frozen=True)
class BatchSpec:
    name: str
    workflow: str
    handler: str  # "module:function"
    trigger: Schedule | BucketEvent


BATCHES: tuple[BatchSpec, ...] = (
    BatchSpec("resident-changes-inbound", "intake", "functions.intake.batch:on_inbound_file",
              BucketEvent("exchange", "inbound/")),
    # 05:00 JST daily: people reaching 75 next month (資格確認書 mailed the month before) and their events.
    BatchSpec("reaching-75-daily", "intake", "functions.intake.batch:daily_reaching_75",
              Schedule("cron(0 20 * * ? *)", "daily at 05:00 JST")),
    # 8/1 05:00 JST (7/31 20:00 UTC): the yearly 資格確認書 renewal.
    BatchSpec("certificate-renewal", "intake", "functions.intake.batch:annual_certificate_renewal",
              Schedule("cron(0 20 31 7 ? *)", "every 8/1 at 05:00 JST")),
)


def batches_of(workflow: str) -> tuple[BatchSpec, ...]:
    return tuple(b for b in BATCHES if b.workflow == workflow)
