"""The 収納データ file: payments taken at bank counters (指定金融機関) and convenience stores (速報 / 確報).

No public layout exists for either (file-layouts.md §4: the 収納代行's own [U]; §5 for the city side), so this is
our documented layout, agreed with each counterparty, in the banks' conventions: 120-byte CP932 records, header
(1), data (2) × n, trailer (8), end (9) — see docs/collection.md "収納データ". 速報 (preliminary) lets the account
show a payment before the money arrives and may cancel it (取消区分 1); 確報 (final) is the accounting truth and
is what posts (§4: 速報 → provisional, 確報 → settled items with the funding date). The counter file is final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from shared.domain.fixed_width import (
    Field,
    FileRejected,
    Layout,
    RecordError,
    join_records,
    read_sectioned,
    trailer_mismatches,
)

__all__ = ["PAYMENT_DATA", "PAYMENT_HEADER", "PAYMENT_TRAILER", "Channel", "PaymentFile", "PaymentRecord",
           "build_payment_file", "parse_payment_file"]

LENGTH = 120


class Channel(str, Enum):
    """種別 of a 収納データ file."""

    COUNTER = "01"  # 金融機関 窓口 (final)
    CVS_PRELIMINARY = "02"  # コンビニ 速報
    CVS_FINAL = "03"  # コンビニ 確報

    @property
    def final(self) -> bool:
        return self is not Channel.CVS_PRELIMINARY


PAYMENT_HEADER = Layout("収納 header", LENGTH, (
    Field("data_kind", 1, 1, "N", "1"), Field("channel", 2, 2, "N"), Field("created_on", 4, 8, "N"),
    Field("agent_code", 12, 10, "N"), Field("agent_name", 22, 40, "C"), Field("dummy", 62, 59, "C")))
PAYMENT_DATA = Layout("収納 data", LENGTH, (
    Field("data_kind", 1, 1, "N", "2"), Field("reference", 2, 20, "C"), Field("payment_number", 22, 20, "C"),
    Field("received_on", 42, 8, "N"), Field("funded_on", 50, 8, "N"), Field("amount", 58, 10, "N"),
    Field("cancelled", 68, 1, "N"), Field("outlet", 69, 8, "C"), Field("dummy", 77, 44, "C")))
PAYMENT_TRAILER = Layout("収納 trailer", LENGTH, (
    Field("data_kind", 1, 1, "N", "8"), Field("count", 2, 6, "N"), Field("amount", 8, 12, "N"),
    Field("cancelled_count", 20, 6, "N"), Field("cancelled_amount", 26, 12, "N"), Field("dummy", 38, 83, "C")))
PAYMENT_END = Layout("収納 end", LENGTH, (Field("data_kind", 1, 1, "N", "9"), Field("dummy", 2, 119, "C")))


@dataclass(frozen=True)
class PaymentRecord:
    record: int
    reference: str  # 受付番号: unique per agent; 速報 and 確報 of one payment share it
    payment_number: str  # 納付番号 as printed on the slip (checked when matched, not here: money is money)
    received_on: date  # 収納日 (領収日): the day the person paid
    funded_on: date | None  # 入金日: the day the money reaches the city (確報, counter)
    amount: int
    cancelled: bool = False  # 取消 (速報 only)
    outlet: str = ""


@dataclass(frozen=True)
class PaymentFile:
    channel: Channel
    created_on: date
    agent_code: str
    records: list[PaymentRecord]


def _date(text: str, number: int, field: Field, errors: list[RecordError], optional: bool = False) -> date | None:
    if optional and text == "0" * 8:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        errors.append(RecordError(number, field.start, field.name, "not a date (YYYYMMDD)"))
        return None


def parse_payment_file(content: bytes) -> PaymentFile:
    """Validate the whole file; a file with any error is rejected (nothing of it is applied)."""
    sections = read_sectioned(content, PAYMENT_HEADER, PAYMENT_DATA, PAYMENT_TRAILER, PAYMENT_END, "収納 file")
    fields = {f.name: f for f in PAYMENT_DATA.fields}
    errors: list[RecordError] = []
    try:
        channel = Channel(sections.header["channel"])
    except ValueError:
        raise FileRejected([RecordError(1, 2, "channel", "種別 is 01 窓口, 02 速報 or 03 確報")], "収納 file") from None
    created = _date(sections.header["created_on"], 1, PAYMENT_HEADER.fields[2], errors)
    records: list[PaymentRecord] = []
    seen: set[str] = set()
    for number, v in sections.data:
        received = _date(v["received_on"], number, fields["received_on"], errors)
        funded = _date(v["funded_on"], number, fields["funded_on"], errors, optional=True)
        amount, cancelled = int(v["amount"]), v["cancelled"] == "1"
        if not v["reference"]:
            errors.append(RecordError(number, fields["reference"].start, "reference", "受付番号 is required"))
        elif v["reference"] in seen:
            errors.append(RecordError(number, fields["reference"].start, "reference", "受付番号 repeats in the file"))
        seen.add(v["reference"])
        if v["cancelled"] not in "01":
            errors.append(RecordError(number, fields["cancelled"].start, "cancelled", "取消区分 is 0 or 1"))
        elif cancelled and channel.final:
            errors.append(RecordError(number, fields["cancelled"].start, "cancelled", "only a 速報 cancels"))
        if amount <= 0:
            errors.append(RecordError(number, fields["amount"].start, "amount", "an amount above 0 is required"))
        if channel.final and funded is None:
            errors.append(RecordError(number, fields["funded_on"].start, "funded_on", "a final file has 入金日"))
        if received is not None:
            records.append(PaymentRecord(number, v["reference"], v["payment_number"], received, funded, amount,
                                         cancelled, v["outlet"]))
    errors += trailer_mismatches(PAYMENT_TRAILER, sections.trailer, _totals(records))
    if errors:
        raise FileRejected(errors, "収納 file")
    assert created is not None
    return PaymentFile(channel, created, sections.header["agent_code"], records)


def _totals(records: list[PaymentRecord]) -> dict[str, int]:
    kept = [r for r in records if not r.cancelled]
    dropped = [r for r in records if r.cancelled]
    return {"count": len(kept), "amount": sum(r.amount for r in kept), "cancelled_count": len(dropped),
            "cancelled_amount": sum(r.amount for r in dropped)}


def build_payment_file(channel: Channel, created_on: date, agent_code: str, agent_name: str,
                       records: list[PaymentRecord], crlf: bool = False) -> bytes:
    """The file as a counterparty sends it (local mode, tests, and the counterparties' specification)."""
    out = [PAYMENT_HEADER.encode({"channel": channel.value, "created_on": f"{created_on:%Y%m%d}",
                                  "agent_code": agent_code, "agent_name": agent_name})]
    out += [PAYMENT_DATA.encode({
        "reference": r.reference, "payment_number": r.payment_number, "received_on": f"{r.received_on:%Y%m%d}",
        "funded_on": f"{r.funded_on:%Y%m%d}" if r.funded_on else 0, "amount": r.amount,
        "cancelled": 1 if r.cancelled else 0, "outlet": r.outlet}) for r in records]
    out.append(PAYMENT_TRAILER.encode(_totals(records)))
    out.append(PAYMENT_END.encode({}))
    return join_records(out, crlf)
