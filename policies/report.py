"""The compliance report: every control evaluated on a stack (under Pulumi mocks), with the PIA measures it
serves, plus the organisational measures that are outside the software's reach."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from policies.evaluate import ControlResult, evaluate_all, from_recorded
from policies.pia import MEASURES

STATUS_TEXT = {"pass": "PASS", "fail": "FAIL", "undecidable": "CANNOT DECIDE", "not-applicable": "NOT APPLICABLE"}


@dataclass
class Report:
    stack: str
    results: list[ControlResult]

    @property
    def ok(self) -> bool:
        """Every mandatory control passed or had nothing to judge (an undecidable one is not a pass)."""
        return all(r.status in ("pass", "not-applicable") for r in self.results if r.control.mandatory)

    def rows(self) -> list[dict[str, Any]]:
        return [{"control": r.control.id, "pia": list(r.control.pia), "severity": r.control.severity,
                 "result": STATUS_TEXT[r.status],
                 "resources": r.resources[:12] + (["…"] if len(r.resources) > 12 else []),
                 "findings": [f"{name}: {message}" for name, message in r.findings]} for r in self.results]

    def out_of_scope(self) -> list[dict[str, str]]:
        return [{"pia": m.id, "kind": m.kind, "title": m.title, "reason": m.out_of_scope_reason or ""}
                for m in MEASURES if m.out_of_scope_reason]


def build_report(stack: str) -> Report:
    from infra.mocks import run_program

    return Report(stack, evaluate_all(from_recorded(run_program(stack))))


def render_text(report: Report) -> str:
    lines = [f"choju controls — stack {report.stack}", ""]
    width = max(len(r.control.id) for r in report.results)
    for row in report.rows():
        lines.append(f"{row['result']:<14} {row['control']:<{width}}  {', '.join(row['pia'])}")
        lines += [f"{'':<14}   ↳ {finding}" for finding in row["findings"]]
    passed = sum(r.status == "pass" for r in report.results)
    lines += ["", (f"{passed}/{len(report.results)} controls pass; "
                   f"{len(report.out_of_scope())} organisational measures are outside the software (see --format md).")]
    return "\n".join(lines) + "\n"


def render_markdown(report: Report) -> str:
    lines = [f"# choju compliance report — stack `{report.stack}`", "",
             f"Result: **{'all mandatory controls pass' if report.ok else 'mandatory controls fail'}**", "",
             "| control | PIA measures | severity | result | resources involved |", "|---|---|---|---|---|"]
    for row in report.rows():
        result = row["result"] + ("<br>" + "<br>".join(row["findings"]) if row["findings"] else "")
        lines.append(f"| `{row['control']}` | {', '.join(row['pia'])} | {row['severity']} | {result} | "
                     f"{', '.join(row['resources'])} |")
    lines += ["", "## Outside the software's reach", "", "| PIA measure | kind | measure | why |", "|---|---|---|---|"]
    lines += [f"| {m['pia']} | {m['kind']} | {m['title']} | {m['reason']} |" for m in report.out_of_scope()]
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    return json.dumps({"stack": report.stack, "ok": report.ok, "controls": report.rows(),
                       "out_of_scope": report.out_of_scope()}, ensure_ascii=False, indent=2) + "\n"


def render_html(report: Report) -> str:
    def cell(value: str) -> str:
        return f"<td>{html.escape(value)}</td>"

    rows = "".join(
        f"<tr class='{row['result'].split()[0].lower()}'>" + cell(row["control"]) + cell(", ".join(row["pia"]))
        + cell(row["severity"]) + cell(row["result"] + ("; " + "; ".join(row["findings"]) if row["findings"] else ""))
        + cell(", ".join(row["resources"])) + "</tr>" for row in report.rows())
    scope = "".join("<tr>" + cell(m["pia"]) + cell(m["kind"]) + cell(m["title"]) + cell(m["reason"]) + "</tr>"
                    for m in report.out_of_scope())
    return (f"<!doctype html><html lang='ja'><meta charset='utf-8'><title>choju controls — {html.escape(report.stack)}"
            "</title><style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:4px}"
            ".fail{background:#fdd}.pass{background:#efe}.cannot{background:#ffd}</style>"
            f"<h1>choju compliance report — stack {html.escape(report.stack)}</h1>"
            f"<p>{'All mandatory controls pass.' if report.ok else 'Mandatory controls fail.'}</p>"
            "<table><tr><th>control</th><th>PIA measures</th><th>severity</th><th>result</th><th>resources</th></tr>"
            f"{rows}</table><h2>Outside the software's reach</h2><table><tr><th>PIA</th><th>kind</th>"
            f"<th>measure</th><th>why</th></tr>{scope}</table></html>\n")


RENDERERS = {"text": render_text, "md": render_markdown, "json": render_json, "html": render_html}
