"""The PIA's 別添1 (特定個人情報ファイル記録項目) mapped to the data model (PIA-II-2-b).

The mapping is data (`data/betten1_items.json`): Japanese item name → model field, and whether the field
exists now or is added by a later workflow (賦課, 調定, 収納, 広域連携, あんま・はり・きゅう).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class MappedItem:
    section: str
    item: str
    field: str  # "<model>.<field>"
    status: str  # "implemented" | "pending"
    workflow: str | None = None


def mapped_items() -> list[MappedItem]:
    data = json.loads(resources.files("shared.domain").joinpath("data/betten1_items.json").read_text("utf-8"))
    return [MappedItem(section, row["item"], row["field"], row["status"], row.get("workflow"))
            for section, rows in data["sections"].items() for row in rows]
