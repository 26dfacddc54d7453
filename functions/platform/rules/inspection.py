"""The periodic self-inspection of access to specific personal information (PIA-III-2-c, III-8), as a pure
summary of audit records: who read My Numbers and why, who was refused, which sessions timed out; and of the
transfer ledger (PIA-III-5-a): every file sent, refused or not resent, under which approval, with omissions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MY_NUMBER_ACTIONS = ("person.mynumber-read", "person.mynumber-search", "disclosure.read", "export.write")
TRANSFER_FIELDS = ("recorded_at", "job", "period", "recipient", "result", "rows", "omitted", "kept_by_law",
                   "approval_id", "run_by", "checksum", "reason")
REFUSALS = ("auth.refused", "access.forbidden")


@dataclass
class Inspection:
    since: datetime
    until: datetime
    records: int = 0
    by_action: Counter[str] = field(default_factory=Counter)
    my_number_access: list[dict[str, Any]] = field(default_factory=list)
    refusals_by_staff: Counter[str] = field(default_factory=Counter)
    without_purpose: list[dict[str, Any]] = field(default_factory=list)  # My Number access with no stated purpose
    transfers: list[dict[str, Any]] = field(default_factory=list)  # the transfer ledger of the period

    def as_dict(self) -> dict[str, Any]:
        return {"since": self.since.isoformat(), "until": self.until.isoformat(), "records": self.records,
                "by_action": dict(sorted(self.by_action.items())), "my_number_access": self.my_number_access,
                "refusals_by_staff": dict(self.refusals_by_staff.most_common()),
                "my_number_access_without_purpose": self.without_purpose, "transfers": self.transfers}


def inspect(records: Iterable[Mapping[str, Any]], since: datetime, until: datetime,
            transfers: Iterable[Mapping[str, Any]] = ()) -> Inspection:
    report = Inspection(since, until)
    report.transfers = [{k: entry.get(k) for k in TRANSFER_FIELDS} for entry in transfers]
    for record in records:
        at = datetime.fromisoformat(record["at"])
        if not since <= at < until:
            continue
        report.records += 1
        action = record["action"]
        report.by_action[action] += 1
        if action in MY_NUMBER_ACTIONS:
            entry = {k: record.get(k) for k in ("seq", "event_id", "at", "staff_id", "action", "target", "purpose")}
            report.my_number_access.append(entry)
            if record.get("purpose") in (None, "", "-"):
                report.without_purpose.append(entry)
        if action in REFUSALS:
            report.refusals_by_staff[record["staff_id"]] += 1
    return report


def _record(entry: Mapping[str, Any]) -> str:
    """The record's place in the chain, or its event id while it waits to be sealed."""
    return str(entry["seq"]) if entry.get("seq") is not None else f"{entry.get('event_id')} (not yet sealed)"


def render_markdown(report: Inspection) -> str:
    lines = [f"# 自己点検: access to specific personal information, {report.since:%Y-%m-%d} – {report.until:%Y-%m-%d}",
             "", f"{report.records} audit records in the period.", "", "## My Number access (PIA-III-2-c)", "",
             "| record | at | staff | action | target | purpose |", "|---|---|---|---|---|---|"]
    lines += [f"| {_record(e)} | {e['at']} | {e['staff_id']} | {e['action']} | {e['target']} | {e['purpose']} |"
              for e in report.my_number_access]
    lines += ["", f"Access without a stated purpose: **{len(report.without_purpose)}**", "",
              "## Refused sign-ins and forbidden requests", "", "| staff | count |", "|---|---:|"]
    lines += [f"| {staff} | {count} |" for staff, count in report.refusals_by_staff.most_common()]
    lines += ["", "## Transfers (PIA-III-5-a)", "",
              "| at | job | period | to | result | rows | omitted | approval | by |",
              "|---|---|---|---|---|---:|---:|---|---|"]
    lines += [f"| {t['recorded_at']} | {t['job']} | {t['period']} | {t['recipient']} | {t['result']} | "
              f"{t.get('rows') or 0} | {t.get('omitted') or 0} | {t.get('approval_id') or '-'} | {t['run_by']} |"
              for t in report.transfers]
    refused = [t for t in report.transfers if t["result"] == "refused"]
    lines += ["", f"Refused transfers: **{len(refused)}**"]
    lines += ["", "## All actions", "", "| action | count |", "|---|---:|"]
    lines += [f"| {action} | {count} |" for action, count in sorted(report.by_action.items())]
    return "\n".join(lines) + "\n"
