"""The audit log: one write per event, the sealed chain, anchored digests, tamper detection (issue 10)."""
