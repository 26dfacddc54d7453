"""Who sends a notice: the city, its mayor, the department and its telephone, from configuration (CHOJU_*)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.config import Settings

__all__ = ["Issuer"]


@dataclass(frozen=True)
class Issuer:
    city_name: str  # 熊本市
    department: str  # 国保年金課
    contact: str | None = None  # the department's telephone
    insurer_number: str | None = None  # 保険者番号 of the 広域連合 (資格確認書)

    @property
    def mayor(self) -> str:
        """The name a city's notice is issued in: 熊本市長 (地方自治法第147条: the mayor represents the city)."""
        return f"{self.city_name}長"

    @property
    def office(self) -> str:
        return f"{self.city_name} {self.department}"

    @classmethod
    def from_settings(cls, settings: Settings) -> Issuer:
        return cls(settings.city_name, settings.issuing_department, settings.notice_contact,
                   settings.insurer_number)
