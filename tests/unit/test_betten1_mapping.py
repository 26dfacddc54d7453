"""Every item of the PIA's 別添1 maps to a field of the data model (PIA-II-2-a, PIA-II-2-b)."""

from __future__ import annotations

import ast
import os
import re
from importlib import import_module
from pathlib import Path

import pytest

from shared.domain.betten1 import Feed, MappedItem, mapped_items
from shared.domain.person import MY_NUMBER_FIELD, PERSON_FIELDS

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = Path(os.environ.get("CHOJU_SEED_DIR", ROOT.parent / "shared" / "seed"))
PERSON_IDENTITY = {"person_id", MY_NUMBER_FIELD}


def betten1_from_seed(text: str) -> dict[str, list[str]]:
    """Section -> items, read from the 別添1 list of the PIA text (the second '(別添1)' heading is the list)."""
    start = [m.end() for m in re.finditer(r"\(別添1\) 特定個人情報ファイル記録項目", text)][-1]
    body = text[start:text.index("Ⅲ リスク対策", start)]
    sections: dict[str, list[str]] = {}
    current = None
    for line in body.splitlines():
        line = line.strip()
        heading = re.fullmatch(r"<(.+)>", line)
        if heading:
            current = heading.group(1)
            sections[current] = []
        elif line.startswith("・") and current:
            sections[current].append(line[1:].strip())
    return sections


def missing_or_unknown(seed: dict[str, list[str]], mapping: list[MappedItem]) -> list[str]:
    mapped = {(m.section, m.item) for m in mapping}
    problems = [f"not mapped: {s} {i}" for s, items in seed.items() for i in items if (s, i) not in mapped]
    listed = {(s, i) for s, items in seed.items() for i in items}
    problems += [f"not in 別添1: {m.section} {m.item}" for m in mapping if (m.section, m.item) not in listed]
    return problems


def _declared(model: str, workflow: str | None) -> set[str]:
    """The fields of a model: the person's, or those a workflow declares in functions/<workflow>/fields.py."""
    if model == "person":
        return set(PERSON_FIELDS) | PERSON_IDENTITY
    if not workflow:
        return set()
    try:
        declared = import_module(f"functions.{workflow}.fields").MODEL_FIELDS
    except ModuleNotFoundError:
        return set()
    return set(declared.get(model, {}))


def unresolved_fields(mapping: list[MappedItem]) -> list[str]:
    """Implemented fields must exist in their model; pending ones must name their workflow."""
    problems = []
    for m in mapping:
        model, _, field = m.field.partition(".")
        if m.status == "implemented":
            if field not in _declared(model, m.workflow):
                problems.append(f"{m.item} → {m.field} is not a field of the model")
        elif m.status != "pending" or not m.workflow:
            problems.append(f"{m.item}: pending items name the workflow that adds them")
    return problems


@pytest.fixture(scope="module")
def seed_items() -> dict[str, list[str]]:
    files = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    if not files:
        reason = (f"the PIA text (the seed's *.txt) is not in {SEED_DIR}: put the seed folder beside the "
                  "repository as ../shared/seed, or set CHOJU_SEED_DIR=/path/to/seed, then run "
                  "`make test PYTEST_ARGS=tests/unit/test_betten1_mapping.py`")
        if os.environ.get("CHOJU_REQUIRE_SEED"):
            pytest.fail(f"CHOJU_REQUIRE_SEED is set (CI): {reason}")
        pytest.skip(reason)
    return betten1_from_seed(files[0].read_text("utf-8"))


def test_every_betten1_item_is_mapped_and_nothing_else(seed_items) -> None:
    assert sum(len(v) for v in seed_items.values()) >= 50  # 50–100 recorded items (PIA-II-2-b)
    assert missing_or_unknown(seed_items, mapped_items()) == []


def test_every_mapped_field_exists_or_names_its_workflow() -> None:
    assert unresolved_fields(mapped_items()) == []
    implemented = [m for m in mapped_items() if m.status == "implemented"]
    assert {m.section for m in implemented} >= {"宛名", "資格", "賦課", "調定"}
    # issue 13: every 賦課 and 調定 item is a real field, and 住民税情報 is the income record's
    counted = {s: sum(1 for m in implemented if m.section == s) for s in ("賦課", "調定")}
    assert counted == {"賦課": 9, "調定": 6}
    assert not [m for m in mapped_items() if m.section in ("賦課", "調定") and m.status != "implemented"]


def test_the_mapping_check_catches_a_missing_item(seed_items) -> None:
    """The negative twin: drop one mapped item and the check names it."""
    trimmed = [m for m in mapped_items() if m.item != "在留期間満了日"]
    assert missing_or_unknown(seed_items, trimmed) == ["not mapped: 宛名 在留期間満了日"]


def test_the_field_check_catches_a_field_the_model_lacks() -> None:
    bogus = [MappedItem("宛名", "氏名", "person.full_name", "implemented"),
             MappedItem("賦課", "保険料額", "levy.premium_total", "implemented", "assessment"),
             MappedItem("賦課", "保険料額", "levy.annual_premium", "implemented", None)]
    assert unresolved_fields(bogus) == ["氏名 → person.full_name is not a field of the model",
                                        "保険料額 → levy.premium_total is not a field of the model",
                                        "保険料額 → levy.annual_premium is not a field of the model"]


# --- 資格 items are fed by a flow (issue 12 "Done when") -------------------------------------------------------

def _tree(path: str) -> ast.Module | None:
    file = ROOT / path
    return ast.parse(file.read_text("utf-8")) if file.is_file() else None


def writes_key(path: str, field: str) -> bool:
    """The module writes `field` as a key: a dict display `{"field": …}`, an assignment `x["field"] = …` or a
    keyword `field=…`. Reading it (`x.get("field")`, `x["field"]`) or naming it in text does not count."""
    tree = _tree(path)
    if tree is None:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == field for k in node.keys):
            return True
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and \
                isinstance(node.slice, ast.Constant) and node.slice.value == field:
            return True
        if isinstance(node, ast.keyword) and node.arg == field:
            return True
    return False


def _module_path(dotted: str) -> str | None:
    base = dotted.replace(".", "/")
    for candidate in (f"{base}.py", f"{base}/__init__.py"):
        if (ROOT / candidate).is_file():
            return candidate
    return None


def imported_modules(path: str) -> set[str]:
    """The repository modules `path` imports, directly or through the modules it imports (import statements)."""
    seen: set[str] = set()
    todo = [path]
    while todo:
        tree = _tree(todo.pop())
        for node in ast.walk(tree) if tree else ():
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                found = _module_path(name) if name.startswith(("functions.", "shared.")) else None
                if found and found not in seen:
                    seen.add(found)
                    todo.append(found)
    return seen


def unfed_items(mapping: list[MappedItem], section: str = "資格") -> list[str]:
    """Every implemented item of the section names a flow that writes its field (in the flow, or in the rules
    module the flow imports that builds the written values)."""
    problems = []
    for m in mapping:
        if m.section != section or m.status != "implemented":
            continue
        field = m.field.partition(".")[2]
        if not m.fed_by:
            problems.append(f"{m.item}: no flow feeds {m.field}")
        for feed in m.fed_by:
            writer = feed.via or feed.flow
            if _tree(feed.flow) is None:
                problems.append(f"{m.item}: {feed.flow} does not exist")
            elif not writes_key(writer, field):
                problems.append(f"{m.item}: {writer} never writes {field}")
            elif feed.via and feed.via not in imported_modules(feed.flow):
                problems.append(f"{m.item}: {feed.flow} does not import {feed.via}")
    return problems


def test_every_eligibility_item_is_fed_by_a_flow_that_writes_it() -> None:
    assert unfed_items(mapped_items()) == []
    eligibility = [m for m in mapped_items() if m.section == "資格"]
    assert len(eligibility) == 5 and all(m.status == "implemented" and m.fed_by for m in eligibility)
    # the counts docs/intake.md gives: 資格 5 of 5 fed
    text = (ROOT / "docs" / "intake.md").read_text("utf-8")
    assert f"資格: {len(eligibility)} of {len(eligibility)} items fed by a flow" in text


def test_the_feed_check_catches_a_flow_that_never_writes_the_field() -> None:
    """Negative twins: no flow; a module that never mentions the field; one that only reads it; a rules module
    that writes it but the flow never imports; a module that does not exist."""
    field, s, r = "person.eligibility_lost_on", "functions/intake/services/", "functions/intake/rules/"

    def item(*feeds: Feed) -> MappedItem:
        return MappedItem("資格", "資格喪失日", field, "implemented", fed_by=feeds)

    planted = [item(), item(Feed(f"{s}discrepancies.py")), item(Feed(f"{r}ryoyohi.py")),
               item(Feed(f"{s}kouiki_import.py", f"{r}eligibility_events.py")), item(Feed(f"{s}nowhere.py"))]
    assert unfed_items(planted) == [
        "資格喪失日: no flow feeds person.eligibility_lost_on",
        f"資格喪失日: {s}discrepancies.py never writes eligibility_lost_on",
        f"資格喪失日: {r}ryoyohi.py never writes eligibility_lost_on",
        f"資格喪失日: {s}kouiki_import.py does not import {r}eligibility_events.py",
        f"資格喪失日: {s}nowhere.py does not exist",
    ]
    assert writes_key("functions/intake/rules/eligibility_events.py", "eligibility_lost_on")  # the twin that passes
