"""Verifying the sealed audit chain against itself, the sealer's head and every anchored digest, as a pure
function (design rule 7; PIA-III-2-c, III-8).

The walk names what is wrong and where, by kind:
- `edited`: a record's content no longer matches its hash;
- `deleted`: sequence numbers are missing from the middle of the chain;
- `truncated`: a digest (or the sealer's head) anchors a record beyond the end of the chain;
- `inserted`: a sequence number appears twice, or records lie beyond the sealer's head;
- `reordered`: a record's hash matches it only under another sequence number;
- `rewritten`: a digest or a link disagrees with records whose own hashes check out: history was rewritten with
  fresh hashes;
- `extra-attribute`: a stored record has attributes that are not part of a sealed event (outside the hash);
- `digest-hidden` / `digest-unreadable`: someone tried to delete a digest (Object Lock kept it), or an object
  under the digest prefix is not a digest;
- `unsealed-overdue`: events older than the sealing delay have not been sealed.
A truncation or rewrite newer than the newest digest and consistent with the head cannot be told from a shorter
log; that is why the sealer anchors a digest every minute it seals anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from shared.domain.audit_chain import GENESIS_HASH, Head, record_hash
from shared.domain.audit_events import SEALED_ATTRIBUTES

__all__ = ["KINDS", "ChainReport", "Digest", "Finding", "verify_chain"]

KINDS = ("edited", "deleted", "truncated", "inserted", "reordered", "rewritten", "extra-attribute",
         "digest-hidden", "digest-unreadable", "unsealed-overdue")
REORDER_WINDOW = 32  # how far from its place a moved record is looked for
MAX_PROBES = 20  # broken records probed for a reordering, at most (each probe is 2 × REORDER_WINDOW hashes)
MAX_FINDINGS = 50

Record = Mapping[str, Any]


class Digest(NamedTuple):
    """An anchored digest: the chain's head at the time, as stored in the Object-Lock bucket."""

    key: str
    seq: int
    hash: str
    hidden: bool = False  # the object's latest version is a delete marker


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    seq: int | None = None
    digest: str | None = None


@dataclass(frozen=True)
class ChainReport:
    count: int  # the last sequence number the walk reached (the chain's length when nothing is missing)
    latest: Head
    findings: tuple[Finding, ...] = ()
    digests: int = 0  # distinct digests checked
    omitted: int = 0  # findings beyond MAX_FINDINGS, counted but not listed

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def kinds(self) -> set[str]:
        return {f.kind for f in self.findings}


@dataclass
class _Walk:
    digests: list[Digest]
    findings: list[Finding] = field(default_factory=list)
    omitted: int = 0
    probes: int = 0
    expected: int = 1
    prev_hash: str = GENESIS_HASH
    last: int = 0
    disturbed: bool = False  # a gap, or a changed record, before this position: its link is not judged
    last_match: int = 0  # seq of the newest digest that matched

    def add(self, finding: Finding) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)
        else:
            self.omitted += 1

    # --- one record -------------------------------------------------------------------------------------
    def check_record(self, record: Record, seq: int) -> bool:
        """Findings on the record's own content; True when there was any."""
        stored = record.get("hash")
        extras = sorted(set(record) - SEALED_ATTRIBUTES)
        core = {k: v for k, v in record.items() if k not in extras}
        if extras:
            names = ", ".join(repr(e) for e in extras)
            if record_hash(core) == stored:
                self.add(Finding("extra-attribute", f"record {seq} has attribute(s) {names} outside its hash: "
                                 "added after it was sealed", seq))
                return True
            if record_hash(record) == stored:
                self.add(Finding("extra-attribute", f"record {seq} has attribute(s) {names} that are not event "
                                 "attributes (present when it was sealed)", seq))
                return True
            self.add(Finding("extra-attribute", f"record {seq} has attribute(s) {names} that are not event "
                             "attributes", seq))
        if record_hash(core) == stored:
            return bool(extras)
        original = self._sealed_as(core, seq)
        if original is not None:
            self.add(Finding("reordered", f"record {seq} was sealed as record {original}: records were reordered",
                             seq))
        else:
            self.add(Finding("edited", f"record {seq} (event {record.get('event_id')}) was edited: its content "
                             "does not match its hash", seq))
        return True

    def _sealed_as(self, core: dict[str, Any], seq: int) -> int | None:
        """The sequence number under which the record's hash does match, if it is near."""
        if self.probes >= MAX_PROBES:
            return None
        self.probes += 1
        for delta in range(1, REORDER_WINDOW + 1):
            for candidate in (seq - delta, seq + delta):
                if candidate >= 1 and record_hash({**core, "seq": candidate}) == core.get("hash"):
                    return candidate
        return None

    def choose(self, group: list[Record], successor_link: str | None) -> Record:
        """Of records sharing a seq, the one the next record links to, else the one that links to the previous and
        checks out: the others were inserted (a forger can make a record that links and checks out, but not one
        that the sealed record after it already pointed to)."""
        if len(group) == 1:
            return group[0]
        for record in group:
            if successor_link is not None and record.get("hash") == successor_link:
                return record
        for record in group:
            if record.get("prev_hash") == self.prev_hash and record_hash(
                    {k: v for k, v in record.items() if k in SEALED_ATTRIBUTES}) == record.get("hash"):
                return record
        return group[0]

    def step(self, seq: int, group: list[Record], successor_link: str | None = None) -> None:
        if seq < self.expected:  # the index returned seqs out of order: treat as an insertion
            self.add(Finding("inserted", f"record {seq} appears again after record {self.last}: inserted", seq))
            return
        if seq > self.expected:
            missing = (f"record {self.expected} is missing from the chain: deleted (or unsealed by removing its "
                       "seq)" if seq == self.expected + 1 else f"records {self.expected}–{seq - 1} are missing from "
                       "the chain: deleted (or unsealed by removing their seq)")
            self.add(Finding("deleted", missing, self.expected))
            self.disturbed = True
        record = self.choose(group, successor_link)
        if len(group) > 1:
            others = ", ".join(str(r.get("event_id")) for r in group if r is not record)
            self.add(Finding("inserted", f"record {seq} appears {len(group)} times: event(s) {others} were "
                             "inserted with a sequence number the sealer had already given", seq))
        flagged = self.check_record(record, seq)
        linked = record.get("prev_hash") == self.prev_hash
        if not linked and not flagged and not self.disturbed and len(group) == 1:
            self.add(Finding("rewritten", f"record {seq - 1} was rewritten with a fresh hash: record {seq} still "
                             "links to its original", seq - 1))
        # After a changed or duplicated record the stored hashes are not where they were sealed: the next link
        # would only echo this finding.
        self.disturbed = flagged or len(group) > 1
        self.prev_hash = str(record.get("hash"))
        self.expected, self.last = seq + 1, seq
        self.anchor(seq)

    # --- digests ----------------------------------------------------------------------------------------
    def anchor(self, seq: int) -> None:
        """Compare the digests anchoring this record (and drop those that anchor a deleted one)."""
        while self.digests and self.digests[0].seq <= seq:
            digest = self.digests.pop(0)
            if digest.seq < seq:
                self.add(Finding("deleted", f"digest {digest.key} anchors record {digest.seq}, which is missing",
                                 digest.seq, digest.key))
            elif digest.hash == self.prev_hash:
                self.last_match = seq
            else:
                since = f" after record {self.last_match} and" if self.last_match else ""
                self.add(Finding("rewritten", f"digest {digest.key} anchors record {seq} with hash "
                                 f"{digest.hash[:16]}… but the chain has {self.prev_hash[:16]}…: history was "
                                 f"rewritten{since} at or before record {seq}", seq, digest.key))

    def finish(self, head: Head | None, in_flight: Head | None, stalled: bool) -> None:
        beyond = [d for d in self.digests if d.seq > self.last]
        if beyond:
            top = max(beyond, key=lambda d: d.seq)
            more = f" ({len(beyond) - 1} other digest(s) also anchor records past the end)" if len(beyond) > 1 else ""
            self.add(Finding("truncated", f"digest {top.key} anchors record {top.seq} but the chain ends at record "
                             f"{self.last}: the newest {top.seq - self.last} record(s) were deleted{more}",
                             self.last + 1, top.key))
        if head is None:
            return
        if in_flight is not None and head.seq <= self.last <= in_flight.seq:
            # A claimed seal not finalized yet: its records may be applied in part; the claim says where it ends.
            if self.last == in_flight.seq and in_flight.hash != self.prev_hash:
                self.add(Finding("rewritten", f"record {self.last} does not match the seal claimed for it", self.last))
            if stalled:
                self.add(Finding("unsealed-overdue", f"the seal of records {head.seq + 1}–{in_flight.seq} was "
                                 "claimed longer than the sealing delay ago and never finished: the sealer stopped "
                                 "halfway (its next run finishes it)", head.seq + 1))
            return
        if head.seq > self.last:
            self.add(Finding("truncated", f"the sealer's head is record {head.seq} but the chain ends at record "
                             f"{self.last}: the newest {head.seq - self.last} record(s) were deleted", self.last + 1))
        elif head.seq < self.last:
            self.add(Finding("inserted", f"records {head.seq + 1}–{self.last} lie beyond the sealer's head (record "
                             f"{head.seq}): they were inserted, not sealed by the sealer", head.seq + 1))
        elif head.hash != self.prev_hash:
            self.add(Finding("rewritten", f"record {self.last} does not match the sealer's head: the newest "
                             "records were rewritten", self.last))


def _groups(records: Iterable[Record]) -> Iterator[tuple[int, list[Record]]]:
    """Records in seq order, those sharing a seq together."""
    current: int = 0
    group: list[Record] = []
    for record in records:
        seq = int(record["seq"])
        if group and seq != current:
            yield current, group
            group = []
        current = seq
        group.append(record)
    if group:
        yield current, group


def verify_chain(records: Iterable[Record], digests: Iterable[Digest] = (), head: Head | None = None,
                 overdue: tuple[int, str | None] = (0, None), unreadable: Iterable[str] = (),
                 in_flight: Head | None = None, stalled: bool = False) -> ChainReport:
    """Walk the sealed records in seq order and check them against every digest and the sealer's head.

    `overdue` is (how many events older than the sealing delay are unsealed, the oldest one's id); `in_flight` the
    end of a seal claimed but not finalized, `stalled` whether it was claimed longer than the sealing delay ago."""
    all_digests = list(digests)
    distinct = sorted({(d.seq, d.hash, d.key): d for d in all_digests}.values(), key=lambda d: (d.seq, d.key))
    walk = _Walk(list(distinct))
    groups = _groups(records)
    current = next(groups, None)
    while current is not None:
        following = next(groups, None)
        successor_link = following[1][0].get("prev_hash") if following and len(following[1]) == 1 else None
        walk.step(*current, successor_link)
        current = following
    walk.finish(head, in_flight, stalled)
    for key in sorted({d.key for d in all_digests if d.hidden}):
        walk.add(Finding("digest-hidden", f"digest {key} is behind a delete marker: someone tried to delete it "
                         "(Object Lock kept every version, and it was checked)", digest=key))
    for key in sorted(set(unreadable)):
        walk.add(Finding("digest-unreadable", f"{key} under the digest prefix is not a digest", digest=key))
    count, oldest = overdue
    if count:
        walk.add(Finding("unsealed-overdue", f"{count} event(s) older than the sealing delay are not sealed "
                         f"(oldest {oldest}): the sealer is behind or stopped"))
    return ChainReport(walk.last, Head(walk.last, walk.prev_hash), tuple(walk.findings), len(distinct), walk.omitted)
