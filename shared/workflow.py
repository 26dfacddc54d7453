"""What a workflow declares about itself: the types of `functions/<workflow>/workflow.py` (data only).

Each workflow package declares, in one place and without importing its code, what its function may touch
(the source of its IAM role, PIA-III-3-d), which batch jobs it runs and what triggers them, which records its
maker-checker routes may change, which routes take files, and which operator commands it adds to `choju`.
The Pulumi program, local mode and the CLI read these declarations through `functions/registry.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    import argparse

    from shared.protection.entities import EntityKind
    from shared.runtime import Runtime

__all__ = ["BatchJob", "BucketEvent", "Chunks", "CliCommand", "Command", "Needs", "NoticeSource", "Schedule",
           "UploadRule", "Workflow"]

# Tables every API function needs: staff sign-in and its sessions. The audit log is granted apart (see Needs.audit):
# every function may only put new events into it (infra/audit_log.py).
COMMON_TABLES_READ = ("staff",)
COMMON_TABLES_WRITE = ("sessions",)
# What a workflow's maker-checker routes need on top: the pending requests.
CHANGE_TABLES_WRITE = ("change-requests",)


class Needs(NamedTuple):
    """Tables, object prefixes, keys and parameters a function may use; nothing else is granted."""

    tables_read: tuple[str, ...] = ()
    tables_write: tuple[str, ...] = ()
    # Append-only tables (a ledger of evidence): new items only — PutItem, never UpdateItem, DeleteItem or
    # BatchWriteItem (which can overwrite). Read like tables_read.
    tables_append: tuple[str, ...] = ()
    # Chunk queues the workflow's API function may start jobs on (send only; the triggers and workers of the
    # jobs get their own queue from their Chunks declaration).
    queues_send: tuple[str, ...] = ()
    buckets_read: tuple[str, ...] = ()  # "bucket" or "bucket/prefix"
    buckets_write: tuple[str, ...] = ()
    # Erase every version and delete marker under these prefixes, in the bucket and its Osaka replica, honouring
    # Object Lock (never its bypass): the deletion workflow alone (PIA-III-7-e).
    buckets_erase: tuple[str, ...] = ()
    # List the versions (keys and dates, never a body) under these prefixes, in the bucket; `replicas_versions` the
    # same in its Osaka replica (a bucket that replicates): what a deletion plan reads to find the objects due.
    buckets_versions: tuple[str, ...] = ()
    # List the keys (ListBucket) under these prefixes only: a role that reads files it finds there and writes none.
    buckets_list: tuple[str, ...] = ()
    replicas_versions: tuple[str, ...] = ()
    # Put objects under Object Lock and read them back, never delete (廃棄証明書).
    buckets_append: tuple[str, ...] = ()
    keys: tuple[str, ...] = ("data",)
    parameters: tuple[str, ...] = ()
    # The audit log: "append" puts new events only (every function); "seal" links them into the chain and anchors
    # digests, and writes no events (the sealer alone). PIA-III-2-c, III-8.
    audit: Literal["append", "seal"] = "append"
    # Serves signed-in staff: reads the staff registry and writes sessions. A job that serves no request says no.
    sign_in: bool = True

    @property
    def all_tables_read(self) -> tuple[str, ...]:
        common = COMMON_TABLES_READ if self.sign_in else ()
        return tuple(dict.fromkeys((*common, *self.tables_read, *self.tables_append)))

    @property
    def all_tables_write(self) -> tuple[str, ...]:
        common = COMMON_TABLES_WRITE if self.sign_in else ()
        return tuple(dict.fromkeys((*common, *self.tables_write)))


class Schedule(NamedTuple):
    expression: str  # EventBridge schedule expression, in UTC
    description: str


class BucketEvent(NamedTuple):
    bucket: str  # logical bucket name from the storage declaration
    prefix: str


class Chunks(NamedTuple):
    """How a job's chunks run (design rule 8): the trigger's function plans the job and sends one message per
    chunk to `queue`; `worker` takes them from the queue (an SQS event source mapping reporting partial
    failures), `batch_size` at a time and at most `concurrency` workers at once."""

    queue: str  # logical queue name from the storage declaration
    worker: str  # "module:function", inside the workflow's own package
    batch_size: int = 1
    concurrency: int = 5  # the event source mapping's maximum concurrency (2 to 1000)
    timeout_seconds: int = 300  # each chunk is planned to finish well inside this
    # The worker's role when it needs other rights than its trigger (default: the job's); e.g. a trigger that only
    # plans and a worker that erases (functions/deletion/workflow.py).
    needs: Needs | None = None


class BatchJob(NamedTuple):
    name: str  # unique across workflows: it names the function, its role and its trigger
    handler: str  # "module:function", inside the workflow's own package
    trigger: Schedule | BucketEvent
    description: str = ""
    needs: Needs | None = None  # a role of its own narrower than its workflow's (default: the workflow's)
    concurrency: int | None = None  # reserved concurrency (default: the stack's); 1 runs it alone
    chunks: Chunks | None = None  # None: the handler does all the work in one invocation


class UploadRule(NamedTuple):
    """A route that takes a file instead of JSON: which media types, and how large."""

    path: str  # a regular expression matched against the whole request path
    media_types: tuple[str, ...]
    max_bytes: int

    def matches(self, path: str) -> bool:
        return re.fullmatch(self.path, path) is not None


class CliCommand(NamedTuple):
    """An operator command of `choju`: `target` names its `Command` ("module:attribute"), loaded when used."""

    name: str
    help: str
    target: str


class Command(NamedTuple):
    """What an operator command does: `configure` adds its arguments, `run` returns the exit status. `run` gets
    a factory for the runtime so that commands that need no AWS never build one."""

    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Callable[[], Runtime]], int]


class NoticeSource(NamedTuple):
    """A printed notice whose data the workflow holds (shared/notices/kinds.py lists them all): `preview`
    ("module:function", `(runtime, person, today) -> shared.notices.printing.Notice | None`) gives that notice for
    one person, which `choju notice render` prints. Kinds no workflow declares yet, and a preview of None (the
    person has no such record), are printed from sample figures."""

    kind: str
    preview: str


class Workflow(NamedTuple):
    name: str
    summary: str
    needs: Needs
    # The first path segments API Gateway sends to this function; the first is `/<name>` for workflows.
    api_prefixes: tuple[str, ...]
    batches: tuple[BatchJob, ...] = ()
    entity_kinds: tuple[EntityKind, ...] = ()
    uploads: tuple[UploadRule, ...] = ()
    cli: tuple[CliCommand, ...] = ()
    notices: tuple[NoticeSource, ...] = ()
    # Workflows with maker-checker routes at /<name>/changes, and the permissions of maker and checker there.
    change_routes: bool = True
    change_permissions: tuple[str, str] = ("change:request", "change:confirm")

    @property
    def package(self) -> str:
        return f"functions.{self.name}"

    @property
    def handler(self) -> str:
        return f"{self.package}.handler.handler"

    def kind(self, name: str) -> EntityKind | None:
        return next((k for k in self.entity_kinds if k.name == name), None)

    @property
    def role_needs(self) -> Needs:
        """What the function's role is granted: the declared needs, plus change requests for change routes."""
        if not self.change_routes:
            return self.needs
        tables = (*self.needs.tables_write, *CHANGE_TABLES_WRITE)
        kinds = tuple(k.table for k in self.entity_kinds)
        return self.needs._replace(tables_write=tuple(dict.fromkeys((*tables, *kinds))))
