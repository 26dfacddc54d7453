"""The collection workflow's pure rules (no AWS): 延滞金, 還付加算金, 消込, 充当, 督促, 時効, 特別徴収, and the file
layouts of the banks, the convenience-store agent and the pension insurers. Each cites its source."""

__all__ = ["fixed_width", "interest", "late_fee", "payment_file", "pension_files", "periods", "rates",
           "refund_interest", "zengin", "zengin_text"]
