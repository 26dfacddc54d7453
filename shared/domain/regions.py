"""Where the system may run and keep data: Japan only (PIA-II-6-a, ガバメントクラウド 国内保存)."""

from typing import Final

PRIMARY_REGION: Final = "ap-northeast-1"  # Tokyo: every workload and primary copy
SECONDARY_REGION: Final = "ap-northeast-3"  # Osaka: replicas and backups only (PIA-II-6-b)
ALLOWED_REGIONS: Final = frozenset({PRIMARY_REGION, SECONDARY_REGION})


def is_allowed_region(region: str | None) -> bool:
    """True when `region` is one of the two Japanese regions the PIA allows."""
    return region in ALLOWED_REGIONS
