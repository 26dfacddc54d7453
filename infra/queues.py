"""The fan-out queues of chunked batch jobs (shared/storage.py), each with its dead-letter queue and an alarm
that fires on the first chunk set aside there (design rule 8). Encrypted with the data key; the redrive sends a
message to the dead-letter queue one receive after the worker's own last attempt, so a worker that dies
without reporting still cannot hold a chunk forever."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from infra.settings import StackSettings
from shared.storage import STORAGE, QueueSpec

__all__ = ["DEAD_LETTER_RETENTION_SECONDS", "ChunkQueues", "dead_letter_alarm"]

DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum: two weeks to read the reason and redrive


def dead_letter_alarm(resource: str, alarm_name: str, queue_name: Any, topic_arn: Any, settings: StackSettings,
                      opts: pulumi.ResourceOptions) -> aws.cloudwatch.MetricAlarm:
    """Alarm as soon as one message waits in a dead-letter queue."""
    return aws.cloudwatch.MetricAlarm(
        resource, name=alarm_name, namespace="AWS/SQS", metric_name="ApproximateNumberOfMessagesVisible",
        dimensions={"QueueName": queue_name}, statistic="Maximum", period=300, evaluation_periods=1, threshold=1,
        comparison_operator="GreaterThanOrEqualToThreshold", treat_missing_data="notBreaching",
        alarm_description="a message waits in a dead-letter queue: see `choju jobs show` for the reason",
        alarm_actions=[topic_arn], tags=settings.tags, opts=opts)


class ChunkQueues(pulumi.ComponentResource):
    def __init__(self, name: str, settings: StackSettings, data_key_arn: pulumi.Input[str], alerts_topic_arn: Any,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("choju:queues:ChunkQueues", name, None, opts)
        self.settings = settings
        self.queues: dict[str, aws.sqs.Queue] = {}
        self.dead_letters: dict[str, aws.sqs.Queue] = {}
        for spec in STORAGE.queues:
            self._queue(name, spec, data_key_arn, alerts_topic_arn)
        self.register_outputs({k: q.name for k, q in self.queues.items()})

    def _queue(self, name: str, spec: QueueSpec, key: pulumi.Input[str], topic: Any) -> None:
        child = pulumi.ResourceOptions(parent=self)
        prefix, tags = self.settings.name_prefix, {**self.settings.tags, "data-classification": spec.data_class.value,
                                                   "retention": spec.retention}
        dead = aws.sqs.Queue(f"{name}-{spec.name}-dlq", name=spec.dead_letter_name(prefix), kms_master_key_id=key,
                             kms_data_key_reuse_period_seconds=300,
                             message_retention_seconds=DEAD_LETTER_RETENTION_SECONDS, tags=tags, opts=child)
        self.queues[spec.name] = aws.sqs.Queue(
            f"{name}-{spec.name}", name=spec.physical_name(prefix), kms_master_key_id=key,
            kms_data_key_reuse_period_seconds=300, visibility_timeout_seconds=spec.visibility_timeout_seconds,
            message_retention_seconds=DEAD_LETTER_RETENTION_SECONDS,
            redrive_policy=dead.arn.apply(lambda arn: json.dumps(
                {"deadLetterTargetArn": arn, "maxReceiveCount": spec.redrive_receive_count})),
            tags=tags, opts=child)
        self.dead_letters[spec.name] = dead
        dead_letter_alarm(f"{name}-{spec.name}-dlq", f"{prefix}-{spec.name}-dead-letters", dead.name, topic,
                          self.settings, child)
