"""Printed notices (design rule 11): one renderer for every document residents receive and the city keeps.

`document` renders templates to PDF (one notice, or many into one file per batch chunk), `sheet` is the page a
template draws on, `fonts` the two built-in Japanese fonts, `format` yen and 和暦, `guard` keeps My Numbers off
paper, `issuer` the sender from configuration, `parts` the letter head, `printing` the API workflows print
through (one notice as an audited read, a run one file per chunk). One module per document holds its data
type and its layout; `kinds` lists them with the permission that may print each.
"""

__all__ = [
    "certificate", "disposal_certificate", "document", "dunning_notice", "fonts", "format", "guard", "issuer", "kinds",
    "parts", "payment_slip", "premium_notice", "printing", "refund_notice", "sheet",
]
