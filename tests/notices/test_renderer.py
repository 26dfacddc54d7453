"""The renderer: yen and 和暦 on paper, the sender from configuration, document numbers, one PDF for many
notices, deterministic bytes, and no My Number on paper (each with its negative twin)."""

from __future__ import annotations

from datetime import date

import pytest

from shared.config import load_settings
from shared.notices.certificate import CERTIFICATE, CertificateCard
from shared.notices.document import A4, CARD, Context, NoticeWriter, document_number, render
from shared.notices.format import fiscal_year_label, number, period_label, yen
from shared.notices.guard import MyNumberInNotice, check_text, holds_my_number
from shared.notices.issuer import Issuer
from tests.notices.pdf import page_sizes_mm, text, text_lines

ISSUER = Issuer("熊本市", "国保年金課", "096-328-0000", "39430000")
CARD_DATA = CertificateCard("熊本 太郎", date(1948, 5, 10), "熊本市中央区手取本町1-1", date(2026, 8, 1),
                            date(2027, 7, 31), "熊本県後期高齢者医療広域連合", "10000001", "クマモト タロウ", "1")
VALID_MY_NUMBER = "123456789018"  # domain-rules §1: check digit 8


def context(**kw: object) -> Context:
    return Context(**{"issuer": ISSUER, "number": "QC-20260801-ABCDEFGH", "issued_on": date(2026, 8, 1), **kw})


@pytest.mark.parametrize(("amount", "printed"), [(0, "0円"), (999, "999円"), (1_000, "1,000円"),
                                                 (58_600, "58,600円"), (1_234_567, "1,234,567円"),
                                                 (-1_200, "−1,200円")])
def test_amounts_have_thousands_separators_and_yen(amount: int, printed: str) -> None:
    assert yen(amount) == printed


@pytest.mark.parametrize("bad", [58600.0, True, "58600"])
def test_an_amount_that_is_not_integer_yen_is_refused(bad: object) -> None:
    with pytest.raises(TypeError):
        number(bad)  # type: ignore[arg-type]


def test_fiscal_year_and_period_labels() -> None:
    assert fiscal_year_label(2026) == "令和8年度"
    # named by its 賦課期日 (4月1日): 2019-04-01 was still 平成31年, 令和 began on 5月1日
    assert fiscal_year_label(2019) == "平成31年度"
    assert fiscal_year_label(2020) == "令和2年度"
    assert fiscal_year_label(2018) == "平成30年度"
    assert (period_label(3), period_label(0)) == ("第3期", "随時")


def test_the_guard_finds_a_valid_my_number_in_any_form() -> None:
    for form in (VALID_MY_NUMBER, "1234 5678 9018", "１２３４５６７８９０１８", "番号1234-5678-9018です"):
        assert holds_my_number(form)
    with pytest.raises(MyNumberInNotice):
        check_text(f"氏名 {VALID_MY_NUMBER}", "certificate")


def test_twelve_digits_with_a_wrong_check_digit_or_longer_runs_are_not_a_my_number() -> None:
    assert not holds_my_number("123456789010")  # check digit should be 8
    assert not holds_my_number("202500000000000101")  # an 18-digit 納付番号
    assert check_text("10000001", "certificate") == "10000001"


def test_a_template_that_would_print_a_my_number_renders_nothing() -> None:
    from dataclasses import replace

    with pytest.raises(MyNumberInNotice) as refused:
        render(CERTIFICATE, replace(CARD_DATA, address=f"熊本市 {VALID_MY_NUMBER}"), context())
    assert VALID_MY_NUMBER not in str(refused.value.detail)
    assert render(CERTIFICATE, replace(CARD_DATA, address="熊本市 123456789010"), context())  # twin: not a number


def test_the_sender_comes_from_configuration() -> None:
    settings = load_settings({"CHOJU_JWKS": "x", "CHOJU_TOKEN_ISSUER": "i", "CHOJU_TOKEN_AUDIENCE": "a",
                              "CHOJU_CITY_NAME": "八代市", "CHOJU_ISSUING_DEPARTMENT": "市民課",
                              "CHOJU_INSURER_NUMBER": "39430001"})
    issuer = Issuer.from_settings(settings)
    assert (issuer.mayor, issuer.office, issuer.insurer_number) == ("八代市長", "八代市 市民課", "39430001")
    printed = text(render(CERTIFICATE, CARD_DATA, context(issuer=issuer)))
    assert "取扱 八代市 市民課" in printed and "39430001 熊本県後期高齢者医療広域連合" in printed
    assert "熊本市 国保年金課" not in printed


def test_document_numbers_are_stable_per_record_and_day_and_never_digits_only() -> None:
    first = document_number(CERTIFICATE, "QC-P0000000001-renewal-2026", date(2026, 8, 1))
    assert first == document_number(CERTIFICATE, "QC-P0000000001-renewal-2026", date(2026, 8, 1))
    assert first.startswith("QC-20260801-") and first[-8:].isalpha()
    assert first != document_number(CERTIFICATE, "QC-P0000000002-renewal-2026", date(2026, 8, 1))


def test_page_sizes_are_the_documents_own() -> None:
    assert page_sizes_mm(render(CERTIFICATE, CARD_DATA, context())) == [(CARD.width, CARD.height)]
    assert (A4.width, A4.height) == (210, 297)


def test_many_notices_go_into_one_pdf_one_after_another() -> None:
    from dataclasses import replace

    writer = NoticeWriter("資格確認書 2026", ISSUER.mayor)
    for name in ("熊本 太郎", "熊本 花子", "天草 ミツ"):
        writer.add(CERTIFICATE, replace(CARD_DATA, name=name, name_kana=None), context())
    pdf = writer.pdf()
    assert len(page_sizes_mm(pdf)) == 3
    assert [line for line in text_lines(pdf) if line in ("熊本 太郎", "熊本 花子", "天草 ミツ")] == \
        ["熊本 太郎", "熊本 花子", "天草 ミツ"]
    with pytest.raises(ValueError):
        NoticeWriter("empty", ISSUER.mayor).pdf()


def test_rendering_is_deterministic_so_a_rerun_writes_the_same_bytes() -> None:
    assert render(CERTIFICATE, CARD_DATA, context()) == render(CERTIFICATE, CARD_DATA, context())


def test_a_preview_from_sample_figures_is_marked() -> None:
    assert "見本" in text(render(CERTIFICATE, CARD_DATA, context(sample=True)))
    assert "見本" not in text(render(CERTIFICATE, CARD_DATA, context()))


def test_a_page_renders_to_an_image() -> None:
    """pypdfium2 rasterises the page: the card at 300 dpi is 1016 × 638 pixels and has ink on it."""
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(render(CERTIFICATE, CARD_DATA, context()))[0].render(scale=300 / 72).to_pil()
    assert image.size == (1016, 638)
    assert image.convert("L").getextrema()[0] < 100


def test_dates_across_the_era_boundary_read_back_from_the_pdf() -> None:
    """平成 ended on 2019-04-30 and 令和 began on 2019-05-01 (平成31年政令第143号); its first year is 元年."""
    from dataclasses import replace

    card = replace(CARD_DATA, valid_from=date(2019, 4, 30), valid_until=date(2019, 7, 31),
                   acquired_on=date(1989, 1, 7))  # 昭和64年1月7日, the last day of 昭和
    lines = text_lines(render(CERTIFICATE, card, context(issued_on=date(2019, 5, 1))))
    assert "平成31年4月30日" in lines and "令和元年7月31日" in lines and "令和元年5月1日" in lines
    assert "昭和64年1月7日" in lines


def test_the_read_back_scan_finds_a_my_number_that_got_onto_paper(monkeypatch: pytest.MonkeyPatch) -> None:
    """The twin of every `no_my_number(pdf)` check in these tests: with the guard switched off, a number in the
    address reaches the PDF, and the scan of the text read back finds it (in half-width and full-width digits)."""
    from dataclasses import replace

    from tests.notices.pdf import no_my_number

    monkeypatch.setattr("shared.notices.sheet.check_text", lambda text, kind: text)
    for printed in (VALID_MY_NUMBER, "１２３４ ５６７８ ９０１８"):
        pdf = render(CERTIFICATE, replace(CARD_DATA, address=f"熊本市 {printed}"), context())
        assert not no_my_number(pdf), printed
    assert no_my_number(render(CERTIFICATE, CARD_DATA, context()))
