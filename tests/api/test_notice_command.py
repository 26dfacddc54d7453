"""`choju notice render` (issue 19): every printed document for a demo person, read back; the 資格確認書 from the
person's own record when there is one; an audited read; clear refusals.

Hand-checked: the sample figures are domain-rules §2.5's (58,600円 = 6,600 + 8 × 6,500, 第1期 納期限
令和7年7月31日); 熊本 太郎 (P0000000001) was born 1948-05-10 = 昭和23年5月10日; the 8/1 renewal of 2027 is
令和9年8月1日 and runs to 令和10年7月31日.
"""

from __future__ import annotations

from datetime import date

import pytest

from shared.cli.main import main
from shared.notices.kinds import KINDS
from tests.audit_events import audit_events
from tests.conftest import env_for
from tests.notices.pdf import has_row, no_my_number, text, text_lines

TARO = "P0000000001"
# What each document must show for 熊本 太郎, read back from the PDF.
EXPECTED = {
    "certificate": ("熊本 太郎（クマモト タロウ）", "昭和23年5月10日　　性別　男", "見本"),
    "premium-decision": ("熊本 太郎", "10000001", "58,600円", "5割軽減", "令和7年7月31日", "6,600", "見本"),
    "payment-slip": ("熊本 太郎", "令和7年7月31日", "6,600円", "令和8年3月31日", "見本"),
    "dunning": ("熊本 太郎", "令和7年7月31日", "6,600円", "令和7年8月28日", "延滞金", "見本"),
    "refund": ("熊本 太郎", "12,000円", "6,500", "5,500円", "見本"),
    "disposal-certificate": (TARO, "見本"),
}


@pytest.fixture
def operator_env(runtime, state_dir, monkeypatch):
    for key, value in env_for(state_dir).items():
        monkeypatch.setenv(key, value)
    return runtime


def render(tmp_path, kind: str, *extra: str) -> tuple[int, bytes]:
    output = tmp_path / f"{kind}.pdf"
    status = main(["notice", "render", "--kind", kind, "--person", TARO, "--output", str(output), *extra])
    return status, output.read_bytes() if output.exists() else b""


def test_every_kind_has_an_expectation() -> None:
    assert set(EXPECTED) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_every_document_renders_for_a_demo_person(operator_env, tmp_path, capsys, kind: str) -> None:
    status, pdf = render(tmp_path, kind)
    assert status == 0, capsys.readouterr().err
    printed = text(pdf)
    for expected in EXPECTED[kind]:
        assert expected in printed, expected
    assert no_my_number(pdf)  # 熊本 太郎's record holds a My Number
    if kind == "disposal-certificate":
        assert "熊本 太郎" not in printed  # the certificate names the erased person only by code
    assert capsys.readouterr().out.startswith(f"written: {tmp_path / kind}.pdf — ")


def test_the_certificate_is_the_persons_own_card_when_one_was_issued(operator_env, tmp_path) -> None:
    from functions.intake.services.certificates import run_annual_renewal
    from shared.notices.certificate import CERTIFICATE
    from shared.notices.document import document_number

    run_annual_renewal(operator_env, date(2027, 8, 1))
    status, pdf = render(tmp_path, "certificate", "--purpose", "窓口での再印刷")
    lines = text_lines(pdf)
    assert status == 0 and "見本" not in lines
    assert has_row(lines, ("発効期日", "令和9年8月1日")) and has_row(lines, ("有効期限", "令和10年7月31日"))
    number = document_number(CERTIFICATE, f"QC-{TARO}-renewal-2027", date(2027, 8, 1))
    assert number in lines
    event = audit_events(operator_env, "notice.print")[-1]
    assert (event["staff_id"], event["target"], event["purpose"]) == ("operator-cli", TARO, "窓口での再印刷")
    assert event["detail"]["document_number"] == number


def test_refusals_are_one_line_and_exit_2(operator_env, tmp_path, capsys) -> None:
    missing = tmp_path / "no-such-dir" / "x.pdf"
    assert main(["notice", "render", "--kind", "dunning", "--person", TARO, "--output", str(missing)]) == 2
    assert main(["notice", "render", "--kind", "dunning", "--person", "P0000009999",
                 "--output", str(tmp_path / "x.pdf")]) == 2
    assert capsys.readouterr().err.splitlines() == [f"cannot write {missing}: not a file in an existing directory",
                                                    "no such person"]
    with pytest.raises(SystemExit) as stopped:
        main(["notice", "render", "--kind", "tax-bill", "--person", TARO, "--output", str(tmp_path / "x.pdf")])
    assert stopped.value.code == 2 and "invalid choice: 'tax-bill'" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
