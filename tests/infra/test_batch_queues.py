"""The chunk queues of batch jobs as the Pulumi program declares them (design rule 8): one queue and one
dead-letter queue per declared queue, an alarm on each dead-letter queue, a worker fed by an event source
mapping that reports partial failures, and roles that reach only their own job's queue."""

from __future__ import annotations

import json

from functions.registry import batch_jobs
from infra.workloads import QUEUE_SEND, deployed_functions, queue_statements
from shared.storage import STORAGE
from tests.infra.conftest import Declared

CHUNKED = [job for job in batch_jobs() if job.chunks is not None]
# The workflow that declares each chunked job (labels are `<workflow>-<job>`).
OWNER = {d.job.name: d.workflow.name for d in deployed_functions() if d.job is not None}


def _account(stack: Declared) -> str:
    """The stack's account as the mocks write it into ARNs (prod names its own in aws:allowedAccountIds)."""
    return str(stack.stack.settings.aws_provider["allowedAccountIds"][0])


def _queues(stack: Declared) -> dict[str, dict]:
    return {r.name: r.inputs for r in stack.of("sqs/queue:Queue") if r.name.startswith("queues-")}


def _statements(stack: Declared, label: str) -> list[dict]:
    return stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{label}"))["Statement"]


def _sqs_resources(stack: Declared, statements: list[dict]) -> dict[str, set[str]]:
    """Every SQS action a role may take on chunk queues, with the queues named as their resources are
    (`queues-<name>`, `queues-<name>-dlq`); role policies name queues by the ARN of their physical name
    (`<prefix>-<name>`), so that the documents are known at the first preview (issue 17). A function's own DLQ is
    not a chunk queue."""
    prefix = f"{stack.stack.settings.name_prefix}-"
    chunk_queues = {n for q in STORAGE.queues for n in (q.name, f"{q.name}-dlq")}
    found: dict[str, set[str]] = {}
    for statement in statements:
        actions, resources = (v if isinstance(v, list) else [v] for v in (statement["Action"], statement["Resource"]))
        for action in actions:
            if action.startswith("sqs:"):
                names = {r.rsplit(":", 1)[1].removeprefix(prefix) for r in resources}
                found.setdefault(action, set()).update(f"queues-{n}" for n in names if n in chunk_queues)
    return found


def test_every_declared_queue_has_an_encrypted_queue_and_dead_letter_queue(stack: Declared) -> None:
    queues = _queues(stack)
    assert set(queues) == {n for q in STORAGE.queues for n in (f"queues-{q.name}", f"queues-{q.name}-dlq")}
    for spec in STORAGE.queues:
        main, dead = queues[f"queues-{spec.name}"], queues[f"queues-{spec.name}-dlq"]
        assert main["kmsMasterKeyId"].endswith("keys-data") and dead["kmsMasterKeyId"].endswith("keys-data")
        redrive = json.loads(main["redrivePolicy"])
        dead_letter_arn = f"arn:aws:sqs:ap-northeast-1:{_account(stack)}:queues-{spec.name}-dlq"
        assert redrive == {"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": spec.max_attempts + 1}
        assert main["tags"]["data-classification"] == spec.data_class.value


def test_every_dead_letter_queue_alarms_the_operators(stack: Declared) -> None:
    alarms = {r.inputs["dimensions"]["QueueName"]: r.inputs for r in stack.of("cloudwatch/metricAlarm:MetricAlarm")
              if r.inputs["namespace"] == "AWS/SQS"}
    dead_letter_names = {q.inputs["name"] for q in stack.of("sqs/queue:Queue") if q.inputs["name"].endswith("-dlq")}
    assert set(alarms) == dead_letter_names  # the chunk queues' and every function's own
    topic = f"arn:aws:sns:ap-northeast-1:{_account(stack)}:{stack.one('sns/topic:Topic').name}"
    for alarm in alarms.values():
        assert alarm["threshold"] == 1 and alarm["comparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["alarmActions"] == [topic]


def test_each_chunked_job_has_a_worker_fed_by_its_queue(stack: Declared) -> None:
    mappings = {r.name: r.inputs for r in stack.of("lambda/eventSourceMapping:EventSourceMapping")}
    functions = {r.name: r.inputs for r in stack.of("lambda/function:Function")}
    assert len(mappings) == len(CHUNKED)
    for job in CHUNKED:
        assert job.chunks is not None
        label = f"workloads-{OWNER[job.name]}-{job.name}-worker"
        mapping, worker = mappings[label], functions[label]
        assert mapping["eventSourceArn"].endswith(f":queues-{job.chunks.queue}")
        assert mapping["functionName"].endswith(f":{label}")
        assert mapping["functionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping["scalingConfig"] == {"maximumConcurrency": job.chunks.concurrency}
        assert worker["handler"] == job.chunks.worker.replace(":", ".")
        assert worker["timeout"] == job.chunks.timeout_seconds
        # AWS: a queue's visibility timeout at least 6 times its worker's, or a slow chunk is received twice.
        assert STORAGE.queue(job.chunks.queue).visibility_timeout_seconds >= 6 * worker["timeout"]


def test_workers_and_triggers_reach_only_their_own_queue(stack: Declared) -> None:
    for job in CHUNKED:
        assert job.chunks is not None
        queue = f"queues-{job.chunks.queue}"
        statements = _statements(stack, f"{OWNER[job.name]}-{job.name}")
        trigger = {a: n for a, n in _sqs_resources(stack, statements).items() if n}
        assert trigger and all(names == {queue} for names in trigger.values())
        assert "sqs:ReceiveMessage" not in trigger and "sqs:DeleteMessage" not in trigger
        worker = _sqs_resources(stack, _statements(stack, f"{OWNER[job.name]}-{job.name}-worker"))
        assert worker["sqs:ReceiveMessage"] == worker["sqs:DeleteMessage"] == {queue}
        assert worker["sqs:SendMessage"] == {queue, f"{queue}-dlq"}


def test_api_functions_cannot_touch_chunk_queues(stack: Declared) -> None:
    """Only the transfer API function starts jobs by hand (POST /transfer/runs): it may send to its own jobs'
    queues and nothing else — never receive, delete or reach a dead-letter queue."""
    chunk_queues = {n for q in STORAGE.queues for n in (f"queues-{q.name}", f"queues-{q.name}-dlq")}
    for workflow in ("intake", "assessment", "collection", "jobs", "platform", "deletion"):
        reached = set().union(*_sqs_resources(stack, _statements(stack, workflow)).values())
        assert not reached & chunk_queues, workflow
    transfer = {a: n & chunk_queues for a, n in _sqs_resources(stack, _statements(stack, "transfer")).items()}
    own = {f"queues-{job.chunks.queue}" for job in CHUNKED if OWNER[job.name] == "transfer" and job.chunks}
    assert own and transfer["sqs:SendMessage"] == own
    assert not {a for a, n in transfer.items() if n and a not in ("sqs:SendMessage", "sqs:GetQueueUrl",
                                                                     "sqs:GetQueueAttributes")}


def test_the_queue_grant_is_for_the_job_not_for_every_queue() -> None:
    """Negative twin of the two above: the statements name the job's queue only, never another's."""
    queues = {q.name: f"arn:{q.name}" for q in STORAGE.queues}
    dead = {q.name: f"arn:{q.name}-dlq" for q in STORAGE.queues}
    for deployed in deployed_functions():
        statements = queue_statements(deployed, queues, dead)
        resources = {r for s in statements for r in s["Resource"]}
        if deployed.job is None:  # an API function: send only, to the queues its workflow names
            named = {queues[q] for q in deployed.needs.queues_send}
            assert resources == named and all(s["Action"] == QUEUE_SEND for s in statements)
            continue
        if deployed.job.chunks is None:
            assert statements == []
            continue
        own = deployed.job.chunks.queue
        assert resources == ({queues[own], dead[own]} if deployed.worker else {queues[own]})
