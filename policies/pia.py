"""The PIA's measures by ID (../shared/docs/pia-controls.md), with their kind: T technical, O organisational,
T/O both. The compliance report lists the organisational ones as outside the software's reach."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    id: str
    kind: str  # "T", "O", "T/O"
    title: str
    out_of_scope_reason: str | None = None


MEASURES: tuple[Measure, ...] = (
    Measure("PIA-I-1-a", "T", "資格管理: counter intake, eligibility decision, 資格確認書"),
    Measure("PIA-I-1-b", "T", "住基 changes, people reaching 75, eligibility changes"),
    Measure("PIA-I-1-f", "T", "療養費支給申請 intake and transfer"),
    Measure("PIA-II-2-a", "T", "households and former insured persons in the data model"),
    Measure("PIA-II-2-b", "T", "every 別添1 item maps to a field"),
    Measure("PIA-II-3-b", "T", "matchings (突合) as tested functions"),
    Measure("PIA-II-5-a", "T", "transfers to the 広域連合 with a record of each"),
    Measure("PIA-II-6-a", "T", "data stored in Japan only (ap-northeast-1 / ap-northeast-3)"),
    Measure("PIA-II-6-b", "T", "redundant storage in several Japanese data centres"),
    Measure("PIA-III-2-a", "T", "lists and search results never show the 個人番号"),
    Measure("PIA-III-2-b", "T", "庁内連携 files carry no 個人番号 unless approved"),
    Measure("PIA-III-2-c", "T", "access to My Number files is logged and inspected"),
    Measure("PIA-III-2-d", "T", "inbound data only from registered sources in fixed layouts"),
    Measure("PIA-III-2-e", "T", "the 個人番号 is shown only with name, birth date and address"),
    Measure("PIA-III-2-f", "T/O", "forms ask only for the minimum items"),
    Measure("PIA-III-2-g", "T", "authenticated, encrypted private links; no public endpoint"),
    Measure("PIA-III-2-h", "T/O", "electronic media minimised and erased after use",
            "locking media away is an office procedure; the software lets exported files expire"),
    Measure("PIA-III-2-i", "T", "庁内連携 only between systems granted access"),
    Measure("PIA-III-2-j", "O/T", "identity verified at the counter",
            "checking documents is done by staff; the software records which documents were checked"),
    Measure("PIA-III-2-k", "T", "a proxy's My Number is checked in the system"),
    Measure("PIA-III-2-l", "T", "changes double-checked by two or more staff (maker-checker)"),
    Measure("PIA-III-3-a", "T", "responses filtered by the caller's purpose"),
    Measure("PIA-III-3-b", "T", "each work pre-mapped to the items it may obtain"),
    Measure("PIA-III-3-c", "T", "one ID per person; no shared IDs"),
    Measure("PIA-III-3-d", "T", "no My Number display, search or update without permission"),
    Measure("PIA-III-3-e", "T", "automatic log-off after idle time"),
    Measure("PIA-III-3-f", "T/O", "no unauthorised copying; logins recorded",
            "the ban on copying is a staff rule and a contract clause; the software records logins"),
    Measure("PIA-III-5-a", "T", "transfers only under an approved データ使用承認願"),
    Measure("PIA-III-7-a", "O", "incident procedures",
            "procedures, drills and reporting lines are organisational; docs/runbook.md gives the software's part"),
    Measure("PIA-III-7-b", "O", "physical security of offices and data centres",
            "physical security belongs to the city and the cloud provider (ISMAP)"),
    Measure("PIA-III-7-c", "T", "anti-malware and no unauthorised external access"),
    Measure("PIA-III-7-d", "T", "closed network, monitoring, log management, provider cannot reach data"),
    Measure("PIA-III-7-e", "T", "unrecoverable disposal with a deletion certificate"),
    Measure("PIA-III-8", "T/O", "self-inspection and internal audit",
            "the audit itself is organisational; the software makes the log verifiable"),
    Measure("PIA-III-9", "O", "staff training", "training is organisational"),
    Measure("PIA-III-10", "O", "ISMAP audits and the split of responsibilities",
            "audits and contracts are organisational"),
    Measure("PIA-IV-1", "T", "disclosure, correction and suspension requests"),
    Measure("PIA-IV-2", "T", "every inquiry gets a receipt and a recorded response"),
)
MEASURE_IDS = frozenset(m.id for m in MEASURES)
