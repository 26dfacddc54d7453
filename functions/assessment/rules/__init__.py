"""The assessment workflow's pure rules: premium parameters by 年度, 所得, 軽減, the calculator, 期割, file
layouts and the 突合 of the 広域連合's results (no AWS)."""

__all__ = ["business_days", "dates", "elections", "income", "income_file", "instalments",
           "parameters", "premium", "reconciliation", "reduction", "results_file"]
