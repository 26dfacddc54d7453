"""The PIA's 別添1 (特定個人情報ファイル記録項目) mapped to the data model (PIA-II-2-b).

The mapping is data (`data/betten1_items.json`): Japanese item name → model field, and whether the field
exists now or is added by a later workflow (賦課, 調定, 収納, 広域連携, あんま・はり・きゅう). A 資格 item also names
the flows that feed it (`fed_by`: the service module, and the rules module that builds the written values).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Feed:
    flow: str  # the service module of the flow (repository path)
    via: str | None = None  # the rules module it imports that writes the field as a key; None: the flow itself


@dataclass(frozen=True)
class MappedItem:
    section: str
    item: str
    field: str  # "<model>.<field>"
    status: str  # "implemented" | "pending"
    workflow: str | None = None
    fed_by: tuple[Feed, ...] = ()


def mapped_items() -> list[MappedItem]:
    data = json.loads(resources.files("shared.domain").joinpath("data/betten1_items.json").read_text("utf-8"))
    return [MappedItem(section, row["item"], row["field"], row["status"], row.get("workflow"),
                       tuple(Feed(f["flow"], f.get("via")) for f in row.get("fed_by", ())))
            for section, rows in data["sections"].items() for row in rows]
