"""The embedded AWS the tests share: the declared storage is created once per session, and each test starts
from the demo data on otherwise empty tables and buckets.

Creating the fifteen declared tables, five buckets and three keys takes over a second through moto; resetting
them takes milliseconds. After the first bootstrap and seed, the items of every table are kept (moto's own
`copy.deepcopy` of a table's items, as its backup restore does) and put back before each test; every object is
removed from the buckets (also those Object Lock keeps: this is the test double's state, not an S3 API call),
and every message from the queues.
A test that asks for a pristine account (`aws` fixture) wipes everything; the next test that needs the world
builds it again.
"""

from __future__ import annotations

import copy
import copyreg
import threading
from typing import Any

from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.base_backend import BackendDict

from shared.local.bootstrap import bootstrap_storage
from shared.local.demo_data import seed_demo_data
from shared.runtime import Runtime

__all__ = ["WORLD", "AccountState"]

REGION = "ap-northeast-1"


def _tables() -> dict[str, Any]:
    return get_backend("dynamodb")[DEFAULT_ACCOUNT_ID][REGION].tables  # type: ignore[no-any-return]


def _queues() -> dict[str, Any]:
    return get_backend("sqs")[DEFAULT_ACCOUNT_ID][REGION].queues  # type: ignore[no-any-return]


def _buckets() -> dict[str, Any]:
    return get_backend("s3")[DEFAULT_ACCOUNT_ID]["global"].buckets  # type: ignore[no-any-return]


class MotoWorld:
    def __init__(self) -> None:
        self._snapshot: dict[str, Any] | None = None  # table name -> its items after bootstrap and seed

    def wipe(self) -> None:
        """Every service back to an empty account; the world is rebuilt when next needed."""
        BackendDict.reset()
        self.forget()

    def forget(self) -> None:
        """Someone else's state is in moto now: rebuild the world when a test next needs it."""
        self._snapshot = None

    def restore(self, runtime: Runtime) -> None:
        if self._snapshot is None or set(self._snapshot) - set(_tables()):
            self.wipe()
            bootstrap_storage(runtime)
            seed_demo_data(runtime)
            self._snapshot = {name: copy.deepcopy(table.items) for name, table in _tables().items()}
            return
        for name, table in _tables().items():
            table.items = copy.deepcopy(self._snapshot.get(name, {}))
        for bucket in _buckets().values():
            for name in list(bucket.keys):
                for version in bucket.keys.getlist(name, []):
                    getattr(version, "dispose", lambda: None)()  # delete markers hold no buffer
                dict.__delitem__(bucket.keys, name)
            bucket.multiparts.clear()
        for queue in _queues().values():  # chunk messages and dead letters of the test before
            queue._messages.clear()
            queue.pending_messages.clear()


WORLD = MotoWorld()


class AccountState:
    """Everything moto holds, copied: build a costly account once, then start each test from the copy.

    moto's backends carry thread locks, which `deepcopy` cannot copy; a fresh lock stands in for each."""

    def __init__(self) -> None:
        _copyable_locks()
        self._state = [(backend, {account: copy.deepcopy(dict(regions)) for account, regions in backend.items()})
                       for backend in BackendDict._instances]

    def restore(self) -> None:
        kept = {id(backend) for backend, _ in self._state}
        for backend in list(BackendDict._instances):
            if id(backend) not in kept:  # a service first used after the copy was taken
                for regions in backend.values():
                    regions.reset()
                backend.clear()
                BackendDict._instances.remove(backend)
        for backend, accounts in self._state:
            for account, regions in accounts.items():
                live = backend[account]
                live.clear()
                live.update(copy.deepcopy(regions))
            if backend not in BackendDict._instances:
                BackendDict._instances.append(backend)
        WORLD.forget()


def _copyable_locks() -> None:
    for lock_type, make in ((type(threading.Lock()), threading.Lock), (type(threading.RLock()), threading.RLock)):
        copyreg.pickle(lock_type, lambda _lock, make=make: (make, ()))
