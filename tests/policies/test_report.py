"""`choju controls --stack dev`: the compliance report a reviewer runs (PIA-II-6-a, PIA-III-7-d)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policies.evaluate import evaluate_all, from_recorded
from policies.report import Report, build_report, render_html, render_json, render_markdown
from shared.cli.main import main


@pytest.fixture(scope="module")
def dev_report() -> Report:
    return build_report("dev")


def test_the_dev_stack_report_passes_and_lists_out_of_scope_measures(dev_report: Report) -> None:
    assert dev_report.ok
    doc = json.loads(render_json(dev_report))
    assert {row["result"] for row in doc["controls"]} == {"PASS"}
    assert {m["pia"] for m in doc["out_of_scope"]} >= {"PIA-III-7-a", "PIA-III-7-b", "PIA-III-9", "PIA-III-10"}
    assert "PIA-II-6-a" in render_markdown(dev_report) and "<table>" in render_html(dev_report)


@pytest.mark.parametrize("fmt", ["md", "json", "html"])
def test_the_cli_writes_each_format(tmp_path: Path, fmt: str, capsys, monkeypatch, dev_report: Report) -> None:
    import policies.report as report_module

    if fmt != "md":  # one run of the program end to end is enough; the other formats render the same report
        monkeypatch.setattr(report_module, "build_report", lambda stack: dev_report)
    out = tmp_path / f"report.{fmt}"
    assert main(["controls", "--stack", "dev", "--format", fmt, "--output", str(out)]) == 0
    assert out.stat().st_size > 1000 and "aws-apigateway-restapi-private" in out.read_text()


def test_the_cli_exits_non_zero_when_a_mandatory_control_fails(monkeypatch, capsys) -> None:
    """The negative twin: a failing control makes `choju controls` fail, naming the control."""
    import policies.report as report_module
    from infra.mocks import run_program
    from policies.model import Res

    def broken(stack: str) -> Report:
        resources = from_recorded(run_program(stack))
        resources.append(Res("aws:ec2/internetGateway:InternetGateway", "rogue-igw", {}))
        return Report(stack, evaluate_all(resources))

    monkeypatch.setattr(report_module, "build_report", broken)
    assert main(["controls", "--stack", "dev"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "aws-ec2-internet-gateway-absent" in out and "rogue-igw" in out
