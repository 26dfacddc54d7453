"""The intake workflow's pure rules: eligibility (法第50〜55条), 資格確認書, 療養費, the 住基異動 layout."""

__all__ = ["certificates", "eligibility", "eligibility_events", "resident_changes", "ryoyohi"]
