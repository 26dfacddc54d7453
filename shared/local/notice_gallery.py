"""The pictures in docs/notices.md: the first page of every printed document for the demo person 熊本 太郎, as PNG.

    .venv/bin/python -m shared.local.notice_gallery docs/notices

Needs no AWS: the 資格確認書 is drawn from a hand-written 8/1 renewal record, the others from the sample figures
(shared/local/demo_notices.py); every picture is marked 見本. pypdfium2 (a test dependency) rasterises the pages.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path
from typing import Any

from shared.local.demo_data import DEMO_PERSONS
from shared.local.demo_notices import sample_notice
from shared.notices.certificate import CERTIFICATE, card_from_records
from shared.notices.document import Context, Notice, document_number, render
from shared.notices.issuer import Issuer
from shared.notices.kinds import KINDS

__all__ = ["DPI", "gallery_notice", "main", "page_png"]

DPI = {"certificate": 300}  # the card is small: drawn at 300 dpi it is about as wide as an A4 page at 100
DEFAULT_DPI = 100
ISSUER = Issuer("熊本市", "国保年金課", "096-328-2290")
RENEWAL = date(2026, 8, 1)


def _taro() -> dict[str, Any]:
    pid, _, name, kana, birth, sex, address, *_rest, insured, _eleven = DEMO_PERSONS[0]
    return {"person_id": pid, "name": name, "name_kana": kana, "birth_date": birth, "sex": sex,
            "address": address, "postal_code": "860-0000", "insured_number": insured}


def gallery_notice(kind: str) -> Notice:
    person = _taro()
    if kind != CERTIFICATE.kind:
        return sample_notice(kind, person, ISSUER)
    record = {"certificate_id": f"QC-{person['person_id']}-renewal-{RENEWAL.year}", "issued_on": RENEWAL.isoformat(),
              "valid_from": RENEWAL.isoformat(), "valid_until": date(RENEWAL.year + 1, 7, 31).isoformat(),
              "reason": "renewal", "print": {"insurer": "熊本県後期高齢者医療広域連合", "copayment": "1割"}}
    number = document_number(CERTIFICATE, record["certificate_id"], RENEWAL)
    return Notice(CERTIFICATE, card_from_records(person, record), Context(ISSUER, number, RENEWAL, sample=True))


def page_png(pdf: bytes, dpi: int) -> bytes:
    """The first page as a greyscale PNG."""
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(pdf)[0].render(scale=dpi / 72).to_pil().convert("L")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m shared.local.notice_gallery DIRECTORY (an existing directory)", file=sys.stderr)
        return 2
    for kind in KINDS:
        notice = gallery_notice(kind)
        path = Path(argv[0]) / f"{kind}.png"
        path.write_bytes(page_png(render(*notice), DPI.get(kind, DEFAULT_DPI)))
        print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
