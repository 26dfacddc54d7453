"""The README's walkthrough, run as written against `choju local` (issue 18 item 8).

Every ```sh block of "Calling the local API" runs in bash, in order, in one shell, with three substitutions only:
the server's port, `.venv/bin/choju` for this interpreter's `choju`, and `CR…` for the change request the block
just created. Each `curl` must answer 2xx, or the status its comment names (`# 403: …`); every `choju` command
must succeed. A README that drifts from the system fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_local_mode import ROOT, local_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e
README = ROOT / "README.md"

# A curl that reports its status after the body and fills CR… with the change request seen last.
PREAMBLE = r"""
set -euo pipefail
LAST_CR="$WORK/last_cr"
curl() {
    local args=() arg
    for arg in "$@"; do args+=("${arg//CR…/$(cat "$LAST_CR" 2>/dev/null || true)}"); done
    local out
    out=$(command curl -sS "${args[@]}" -w $'\nHTTP %{http_code}')
    printf '%s\n' "$out"
    local id
    id=$(printf '%s' "$out" | grep -oE '"(change_)?request_id":"CR[0-9A-Z]+"' | head -1 \
         | grep -oE 'CR[0-9A-Z]+' || true)
    if [ -n "$id" ]; then printf '%s' "$id" > "$LAST_CR"; fi
}
"""


def walkthrough_blocks(text: str) -> list[str]:
    section = text[text.index("## Calling the local API"):]
    section = section[: section.index("\n## ", 3)]
    return re.findall(r"```sh\n(.*?)```", section, re.S)


def expected_statuses(block: str) -> list[int]:
    """One expectation per curl in the block: the status its comment names, or 200-299 (as 200)."""
    statuses = []
    for command in re.split(r"(?<!\\)\n(?=\S)", block):
        if command.lstrip().startswith("curl"):
            named = re.search(r"#\s*(\d{3})\b", command)
            statuses.append(int(named.group(1)) if named else 200)
    return statuses


def test_the_walkthrough_has_blocks_and_placeholders() -> None:
    blocks = walkthrough_blocks(README.read_text())
    assert len(blocks) >= 3 and any("CR…" in b for b in blocks)
    assert expected_statuses(blocks[0])[:2] == [200, 403]


def test_the_readme_walkthrough_runs_as_written(local_server, tmp_path: Path) -> None:  # noqa: F811
    base, env = local_server
    port = base.rsplit(":", 1)[1]
    blocks = walkthrough_blocks(README.read_text())
    choju = f"{sys.executable} -m shared.cli.main"
    script = PREAMBLE + "\n".join(b.replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace(".venv/bin/choju", choju)
                                  for b in blocks)
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env={**env, "WORK": str(tmp_path)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    seen = [int(code) for code in re.findall(r"^HTTP (\d{3})$", done.stdout, re.M)]
    expected = [status for block in blocks for status in expected_statuses(block)]
    assert len(seen) == len(expected), done.stdout[-3000:]
    for index, (got, want) in enumerate(zip(seen, expected, strict=True)):
        ok = 200 <= got < 300 if want == 200 else got == want
        assert ok, f"curl #{index + 1} answered {got}, the README expects {want}:\n{done.stdout[-3000:]}"
    assert "OK:" in done.stdout and "status=applied" in done.stdout


def test_the_check_catches_a_readme_that_uses_a_closed_session(local_server, tmp_path: Path) -> None:  # noqa: F811
    """The negative twin: the README as it was (the token used after its own logout) fails the check."""
    base, env = local_server
    port = base.rsplit(":", 1)[1]
    broken = ("TOKEN=$(choju dev-token --role counter-clerk)\n"
              f"curl -s -X POST -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:{port}/auth/logout\n"
              f"curl -s -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:{port}/intake/kouiki-queue\n")
    script = PREAMBLE + broken.replace("choju dev-token", f"{sys.executable} -m shared.cli.main dev-token")
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env={**env, "WORK": str(tmp_path)},
                          capture_output=True, text=True, timeout=120)
    seen = [int(code) for code in re.findall(r"^HTTP (\d{3})$", done.stdout, re.M)]
    assert seen == [200, 401] and expected_statuses(broken) == [200, 200]
