"""Intake services: resident-register imports, counter notifications, 資格確認書, 療養費 (PIA-I-1-a, b, f)."""
