"""Controls as code: one catalog (catalog.py) feeds the CrossGuard policy pack (pack.py, __main__.py), the
account auditor (auditor.py), the compliance report (report.py) and the tests (design rule 2)."""
