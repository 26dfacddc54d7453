"""The collection workflow's pure rules (no AWS): 延滞金, 還付加算金, 消込, 充当, 督促, 時効, 特別徴収, and the file
layouts of the banks, the convenience-store agent and the pension insurers. Each cites its source; parameters
that change by year or are not yet confirmed are data in `data/` with their source."""

__all__ = ["bank_account", "days", "dunning", "ids", "interest", "late_fee", "ledger", "limitation",
           "matching", "offsets", "payment_file", "pension", "pension_files", "periods", "policy", "rates",
           "refund_interest", "zengin", "zengin_text"]
