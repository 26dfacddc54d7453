"""What a deletion run would erase on a given day (PIA-III-7-e): the targets of each retention rule whose period has
ended, minus everything a legal hold keeps. The same function plans the proposal and is what a run carries out,
so a run erases exactly what its plan listed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from functions.deletion.rules.locators import MYNUMBER_ATTRIBUTES
from functions.deletion.rules.retention import Method, RetentionRule, Trigger, erasable_from, started_on
from shared.runtime import Runtime
from shared.storage import STORAGE

__all__ = ["DeletionPlan", "Target", "active_holds", "plan_deletion"]

_TABLES = {t.name for t in STORAGE.tables}
_BUCKETS = {b.name for b in STORAGE.buckets}


@dataclass(frozen=True, order=True)
class Target:
    rule: str
    kind: str  # person | record | object | expired
    store: str  # a declared table, or "bucket/prefix"
    ref: str  # person id, record key (JSON), or object key
    due_on: str
    person_id: str = ""


@dataclass(frozen=True)
class DeletionPlan:
    as_of: date
    targets: tuple[Target, ...]
    held: dict[str, int]  # rule -> targets a legal hold keeps out
    not_erased: list[dict[str, str]]  # rules a run never applies (audit) or whose stores are not declared yet

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(t.rule for t in self.targets).items()))

    def digest(self) -> str:
        canonical = json.dumps([asdict(t) for t in sorted(self.targets)], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def summary(self, rules: tuple[RetentionRule, ...]) -> dict[str, Any]:
        """Counts per class with the reason; no ids."""
        counts = self.counts()
        return {"as_of": self.as_of.isoformat(), "targets": len(self.targets), "plan_digest": self.digest(),
                "classes": [{"rule": r.name, "record_kind": r.record_kind, "method": r.method.value,
                             "count": counts.get(r.name, 0), "held": self.held.get(r.name, 0),
                             "reason": f"{r.years} years {r.days} days after {r.trigger_field or 'writing'}"
                                       f" ({r.source})", "open_question": r.open_question}
                            for r in rules if r.method is not Method.KEEP],
                "not_erased": self.not_erased}


def active_holds(rt: Runtime) -> set[str]:
    """Persons under a legal hold that is not released."""
    return {h["person_id"] for h in rt.table_eraser("legal-holds").scan() if not h.get("released_at")}


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def plan_deletion(rt: Runtime, as_of: date, rules: tuple[RetentionRule, ...]) -> DeletionPlan:
    holds = active_holds(rt)
    targets: list[Target] = []
    held: Counter[str] = Counter()
    not_erased: list[dict[str, str]] = []
    whole: set[str] = set()  # persons whose every record goes: no other target of theirs is needed
    waiting: set[tuple[str, str]] = set()  # records another rule still keeps (a ledger with 延滞金)
    ordered = sorted(rules, key=lambda r: (r.trigger is not Trigger.PERSON_LOST, r.method is not Method.RECORD))
    for rule in ordered:
        if rule.method is Method.KEEP:
            not_erased.append({"rule": rule.name, "reason": rule.source})
            continue
        missing = [s for s in rule.stores if s.split("/")[0] not in (_TABLES | _BUCKETS)]
        if missing:
            not_erased.append({"rule": rule.name, "reason": f"not declared yet: {', '.join(missing)}"})
        for store in [s for s in rule.stores if s not in missing]:
            for target, person in _candidates(rt, rule, store, as_of):
                if target.due_on > as_of.isoformat():
                    waiting.add((target.store, target.ref))
                elif person and person in holds:
                    held[rule.name] += 1
                elif not (person and person in whole):
                    targets.append(target)
        if rule.trigger is Trigger.PERSON_LOST and rule.method is Method.RECORD:
            whole |= {t.person_id for t in targets if t.rule == rule.name}
    # A record two rules cover goes when both have ended, and once.
    kept, seen = [], set()
    for target in targets:
        if target.kind == "person" or (target.store, target.ref) not in waiting | seen:
            kept.append(target)
            seen.add((target.store, target.ref))
    return DeletionPlan(as_of, tuple(sorted(kept)), dict(held), not_erased)


def _candidates(rt: Runtime, rule: RetentionRule, store: str, as_of: date) -> list[tuple[Target, str]]:
    if rule.trigger is Trigger.PERSON_LOST:
        return _former_insured(rt, rule, store, as_of)
    if rule.trigger is Trigger.OBJECT_WRITTEN:
        return _objects(rt, rule, store, as_of)
    if "/" in store:
        return []  # a record's objects go with the record
    return _records(rt, rule, store, as_of)


def _former_insured(rt: Runtime, rule: RetentionRule, store: str, as_of: date) -> list[tuple[Target, str]]:
    out = []
    for person in rt.table_eraser(store).by_index("by-eligibility", "eligibility_status", "lost"):
        lost = _day(person.get(rule.trigger_field))
        if lost is None or erasable_from(lost, rule) > as_of:
            continue
        if rule.method is Method.MYNUMBER and not any(a in person for a in MYNUMBER_ATTRIBUTES):
            continue  # erased before
        pid = person["person_id"]
        out.append((Target(rule.name, "person", store, pid, erasable_from(lost, rule).isoformat(), pid), pid))
    return out


def _records(rt: Runtime, rule: RetentionRule, table: str, as_of: date) -> list[tuple[Target, str]]:
    """Records of `table` under `rule`, those not due yet included (a later rule may keep a record another frees)."""
    eraser = rt.table_eraser(table)
    field = rule.field_for(table)
    tops = sorted({alternative.split(".")[0].removesuffix("[]") for alternative in field.split("|")})
    names = {f"#f{i}": name for i, name in enumerate(tops)}
    out = []
    for item in eraser.scan(" OR ".join(f"attribute_exists({n})" for n in names), names):
        if rule.only_if and not item.get(rule.only_if):
            continue
        if rule.trigger is Trigger.EXPIRY:
            started: date | None = datetime.fromtimestamp(int(item[field]), UTC).date()
        else:
            started = started_on(item, field)
        if started is None:
            continue
        due = erasable_from(started, rule)
        ref = json.dumps(eraser.key_of(item), sort_keys=True, ensure_ascii=False)
        person = str(item.get("person_id", ""))
        out.append((Target(rule.name, "expired" if rule.trigger is Trigger.EXPIRY else "record", table, ref,
                           due.isoformat(), person), person))
    return out


def _objects(rt: Runtime, rule: RetentionRule, store: str, as_of: date) -> list[tuple[Target, str]]:
    bucket, _, prefix = store.partition("/")
    newest: dict[str, date] = {}
    for eraser in rt.object_erasers(bucket):
        for version in eraser.versions(prefix):
            day = version.written_at.date()
            newest[version.key] = max(day, newest.get(version.key, day))
    return [(Target(rule.name, "object", store, key, erasable_from(day, rule).isoformat()), "")
            for key, day in newest.items() if erasable_from(day, rule) <= as_of]
