"""The fan-out queue of a chunked batch job and its dead-letter queue (design rule 8).

Messages carry only a job id and a chunk number. The worker changes a failed message's visibility to the
backoff delay before reporting the failure, so retries are spread out; a chunk set aside goes to the
dead-letter queue with its reason as a message attribute.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

__all__ = ["ChunkQueue"]

SEND_BATCH = 10  # SendMessageBatch limit
MAX_REASON = 1000


class ChunkQueue:
    def __init__(self, client: Any, name: str, dead_letter_name: str) -> None:
        self._sqs = client
        self.name = name
        self.dead_letter_name = dead_letter_name
        self._urls: dict[str, str] = {}
        self._lock = threading.Lock()

    def _url(self, name: str) -> str:
        with self._lock:
            if name not in self._urls:
                self._urls[name] = str(self._sqs.get_queue_url(QueueName=name)["QueueUrl"])
            return self._urls[name]

    @property
    def url(self) -> str:
        return self._url(self.name)

    def arn(self) -> str:
        return str(self._sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])
                   ["Attributes"]["QueueArn"])

    def send(self, bodies: Sequence[dict[str, Any]]) -> None:
        """Send every body (10 per request); raises if SQS refused any of them."""
        for start in range(0, len(bodies), SEND_BATCH):
            entries = [{"Id": str(i), "MessageBody": json.dumps(body, sort_keys=True)}
                       for i, body in enumerate(bodies[start:start + SEND_BATCH])]
            failed = self._sqs.send_message_batch(QueueUrl=self.url, Entries=entries).get("Failed") or []
            if failed:
                raise RuntimeError(f"SQS refused {len(failed)} chunk messages: {failed[0].get('Message', '')}")

    def retry_after(self, receipt_handle: str, seconds: int) -> None:
        """Make a received message visible again after `seconds` (the backoff before its next attempt)."""
        self._sqs.change_message_visibility(QueueUrl=self.url, ReceiptHandle=receipt_handle,
                                            VisibilityTimeout=max(0, min(int(seconds), 43_200)))

    def dead_letter(self, body: dict[str, Any], reason: str) -> None:
        self._sqs.send_message(QueueUrl=self._url(self.dead_letter_name), MessageBody=json.dumps(body, sort_keys=True),
                               MessageAttributes={"reason": {"DataType": "String",
                                                             "StringValue": reason[:MAX_REASON] or "-"}})

    # --- what the event source mapping does in AWS; local mode and tests do it in-process ----------------
    def receive(self, count: int, wait_seconds: int = 0) -> list[dict[str, Any]]:
        response = self._sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=max(1, min(count, 10)),
                                             WaitTimeSeconds=wait_seconds, AttributeNames=["All"],
                                             MessageAttributeNames=["All"])
        return list(response.get("Messages", []))

    def delete(self, receipt_handle: str) -> None:
        self._sqs.delete_message(QueueUrl=self.url, ReceiptHandle=receipt_handle)

    def dead_letters(self, count: int = 10) -> list[dict[str, Any]]:
        """Messages waiting in the dead-letter queue (read without removing them for long)."""
        response = self._sqs.receive_message(QueueUrl=self._url(self.dead_letter_name),
                                             MaxNumberOfMessages=max(1, min(count, 10)), VisibilityTimeout=0,
                                             MessageAttributeNames=["All"], AttributeNames=["All"])
        return list(response.get("Messages", []))

    def visible(self) -> int:
        attributes = self._sqs.get_queue_attributes(
            QueueUrl=self.url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        return int(attributes.get("ApproximateNumberOfMessages", 0))
