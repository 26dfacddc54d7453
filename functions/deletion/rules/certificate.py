"""The 廃棄証明書 of a deletion run, as data (PIA-III-7-e): what was erased (classes, counts, hashed record ids),
from which stores and regions, by which NIST SP 800-88 category, when, under whose approval, and the date by which
no backup or point-in-time window holds it any more. Pure; it holds no My Number and no record id in the clear.

The notices renderer (issue 19) prints it from `disposal` (shared/notices/disposal_certificate.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from functions.deletion.rules.retention import Method
from shared.notices.disposal_certificate import DisposalCertificate, ErasedItem

__all__ = ["NIST_CATEGORY", "Certificate", "backups_clear_on"]

_PRINTED_METHOD = {"dynamodb": "項目の削除（API, Clear）", "s3": "全バージョン・削除マーカーの削除（API, Clear）"}

# NIST SP 800-88 Rev.2 (2025): a customer of a cloud service reaches its storage only through the service's API,
# so what a run does is logical sanitization of every user-addressable copy ("Clear"); the provider sanitizes
# media (Purge/Destroy) under its ISMAP-audited processes (PIA-III-7-b, III-10).
NIST_CATEGORY: dict[Method, str] = {
    Method.MYNUMBER: "Clear (NIST SP 800-88): the My Number's ciphertext and blind index removed through the "
                     "service API from every record; nothing left to decrypt or to match",
    Method.RECORD: "Clear (NIST SP 800-88): every record, object version and delete marker deleted through the "
                   "service API, in Tokyo and in the Osaka replica",
}


def backups_clear_on(finished: date, pitr_days: int, backup_days: int) -> date:
    """The first day no backup holds erased data: the last recovery point taken before the erasure is deleted
    `backup_days` after it, and the point-in-time window reaches back `pitr_days`; both start at most on the day
    of the erasure, so the later of the two days after it."""
    return finished + timedelta(days=max(pitr_days, backup_days) + 1)


@dataclass(frozen=True)
class Certificate:
    run_id: str
    as_of: str
    proposed_by: str
    approved_by: str
    approval_request: str
    started_at: str
    finished_at: str
    classes: list[dict[str, Any]]  # rule, record kind, method, NIST category, count, source
    stores: list[dict[str, Any]]  # store, region, count
    hashed_ids: list[str]  # keyed digests of each erased target (HMAC-SHA256 under the system's index key)
    waiting: list[dict[str, Any]]  # object versions Object Lock keeps, with the date they can go
    backups_clear_on: str
    backup_note: str
    issuer: str = "熊本市 後期高齢者医療 (choju)"
    title: str = "廃棄証明書"
    legal_basis: list[str] = field(default_factory=lambda: [
        "行政手続における特定の個人を識別するための番号の利用等に関する法律 第20条",
        "特定個人情報保護評価書 (後期高齢者医療に関する事務) III-7 (NIST SP 800-88)"])

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, body: bytes) -> Certificate:
        return cls(**json.loads(body))

    def notice_fields(self) -> dict[str, Any]:
        """What the printed 廃棄証明書 shows (issue 19's template): no hashed ids list, only their count."""
        return {"title": self.title, "issuer": self.issuer, "run_id": self.run_id, "as_of": self.as_of,
                "finished_at": self.finished_at, "proposed_by": self.proposed_by, "approved_by": self.approved_by,
                "classes": [{k: c[k] for k in ("record_kind", "count", "nist")} for c in self.classes],
                "stores": self.stores, "records": len(self.hashed_ids), "waiting": len(self.waiting),
                "backups_clear_on": self.backups_clear_on, "legal_basis": self.legal_basis}

    def disposal(self) -> DisposalCertificate:
        """The printed 廃棄証明書 (issue 19's template): the run, not a person, is its subject; one line per class
        with its count and one per store and region; never an id, hashed or not."""
        done_on = date.fromisoformat(self.finished_at[:10])
        classes = tuple(ErasedItem(f"{c['record_kind']}（{c['count']}件）", "下記の各所在",
                                   "個人番号の削除" if c.get("method") == Method.MYNUMBER.value else "記録の削除",
                                   done_on) for c in self.classes)
        stores = tuple(ErasedItem(f"{s['count']}件", f"{s['store']}（{s['region']}）",
                                  _PRINTED_METHOD.get(s.get("service", ""), "削除（API, Clear）"), done_on)
                       for s in self.stores)
        return DisposalCertificate(
            subject=f"削除実行 {self.run_id}（{len(self.hashed_ids)}件、基準日 {self.as_of}）",
            reason="保存期間満了（番号法第20条; 保存期間の規則: docs/deletion.md）",
            items=classes + stores, complete_on=date.fromisoformat(self.backups_clear_on),
            performed_by=self.proposed_by, confirmed_by=self.approved_by,
            standard="NIST SP 800-88 Clear（サービスAPIによる全複製・全バージョンの論理消去）")
