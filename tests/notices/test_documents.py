"""Each document, rendered from hand-written data and read back: the person's name, the 和暦 dates, the amounts,
the 期割 table, and no My Number. Figures: domain-rules.md §2.5 (令和7年度, 年金収入180万円: 5割軽減 29,000 +
所得割 29,646 = 58,600円), split by hand into nine 普通徴収 期 of 100円 units with the remainder in 第1期."""

from __future__ import annotations

from datetime import date

import pytest

from shared.notices.certificate import CERTIFICATE, CertificateCard, card_from_records
from shared.notices.disposal_certificate import DISPOSAL, DisposalCertificate, ErasedItem
from shared.notices.document import Context, render
from shared.notices.dunning_notice import DUNNING, DunningLine, DunningNotice
from shared.notices.issuer import Issuer
from shared.notices.parts import Recipient
from shared.notices.payment_slip import PAYMENT_SLIPS, PaymentSlips, Slip
from shared.notices.premium_notice import PREMIUM_DECISION, Instalment, PremiumDecision
from shared.notices.refund_notice import REFUND, OffsetLine, RefundNotice
from tests.notices.pdf import has_row, no_my_number, page_sizes_mm, text, text_lines

ISSUER = Issuer("熊本市", "国保年金課", "096-328-0000")
TARO = Recipient("熊本 太郎", "熊本市中央区手取本町1-1", "860-0000")
DUE = (date(2025, 7, 31), date(2025, 9, 1), date(2025, 9, 30), date(2025, 10, 31), date(2025, 12, 1),
       date(2025, 12, 25), date(2026, 2, 2), date(2026, 3, 2), date(2026, 3, 31))
AMOUNTS = (6_600, 6_500, 6_500, 6_500, 6_500, 6_500, 6_500, 6_500, 6_500)  # 6,600 + 8 × 6,500 = 58,600


def ctx(day: date, number: str = "XX-1") -> Context:
    return Context(ISSUER, number, day)


def decision(**overrides: object) -> PremiumDecision:
    values: dict[str, object] = {
        "recipient": TARO, "insured_number": "10000001", "fiscal_year": 2025, "decided_on": date(2025, 7, 15),
        "income_base": 270_000, "equal_share_before_reduction": 58_000, "reduction_amount": 29_000,
        "income_share": 29_646, "annual_premium": 58_600, "months": 12, "reduction": "5割軽減",
        "instalments": tuple(Instalment(n, d, a, "ordinary")
                             for n, (d, a) in enumerate(zip(DUE, AMOUNTS, strict=True), 1))}
    values.update(overrides)
    return PremiumDecision(**values)  # type: ignore[arg-type]


def test_the_certificate_card_carries_every_item() -> None:
    card = CertificateCard("熊本 太郎", date(1948, 5, 10), "熊本市中央区手取本町1-1", date(2026, 8, 1),
                           date(2027, 7, 31), "熊本県後期高齢者医療広域連合", "10000001", "クマモト タロウ", "1",
                           acquired_on=date(2023, 5, 10), copayment="1割")
    pdf = render(CERTIFICATE, card, ctx(date(2026, 8, 1), "QC-20260801-ABCDEFGH"))
    lines = text_lines(pdf)
    for row in (("被保険者番号", "10000001"), ("氏名", "熊本 太郎（クマモト タロウ）"),
                ("生年月日", "昭和23年5月10日　　性別　男"), ("住所", "熊本市中央区手取本町1-1"),
                ("資格取得年月日", "令和5年5月10日"), ("発効期日", "令和8年8月1日"), ("有効期限", "令和9年7月31日"),
                ("一部負担金の割合", "1割"), ("交付年月日", "令和8年8月1日"),
                ("保険者番号・名称", "熊本県後期高齢者医療広域連合")):
        assert has_row(lines, row), row
    assert "QC-20260801-ABCDEFGH" in lines and "再交付" not in lines
    assert page_sizes_mm(pdf) == [(86.0, 54.0)] and no_my_number(pdf)


def test_a_reissued_card_says_so_and_a_new_one_does_not() -> None:
    card = CertificateCard("熊本 花子", date(1950, 11, 3), "熊本市中央区手取本町1-1", date(2026, 9, 1),
                           date(2027, 7, 31), "熊本県後期高齢者医療広域連合", reason="reissue")
    assert "再交付" in text(render(CERTIFICATE, card, ctx(date(2026, 9, 1))))


def test_the_card_comes_from_the_issuance_record_and_the_current_person_record() -> None:
    person = {"person_id": "P1", "name": "熊本 太郎", "name_kana": "クマモト タロウ", "birth_date": "1948-05-10",
              "sex": "1", "address": "熊本市東区健軍1-1", "insured_number": "10000001",
              "eligibility_acquired_on": "2023-05-10", "mynumber_enc": "sealed"}
    record = {"reason": "renewal", "valid_from": "2026-08-01", "valid_until": "2027-07-31",
              "print": {"insurer": "熊本県後期高齢者医療広域連合", "address": "熊本市中央区手取本町1-1",
                        "name": "熊本 太郎", "birth_date": "1948-05-10"}}
    card = card_from_records(person, record)
    assert (card.address, card.valid_until, card.acquired_on) == ("熊本市東区健軍1-1", date(2027, 7, 31),
                                                                  date(2023, 5, 10))


def test_the_premium_decision_shows_the_amount_its_breakdown_and_the_instalments() -> None:
    pdf = render(PREMIUM_DECISION, decision(), ctx(date(2025, 7, 15)))
    lines = text_lines(pdf)
    assert "令和7年度 後期高齢者医療保険料額決定通知書 兼 納入通知書" in lines
    assert "熊本 太郎　様" in lines and "令和7年7月15日" in lines
    for row in (("年間保険料額", "58,600円"), ("所得割額", "29,646円"), ("賦課のもととなる所得金額", "270,000円"),
                ("均等割額", "58,000円　5割軽減 29,000円 → 29,000円")):
        assert has_row(lines, row), row
    assert has_row(lines, ("第1期", "令和7年7月31日", "普通徴収（納付書・口座振替）", "6,600"))
    assert has_row(lines, ("第2期", "令和7年9月1日", "普通徴収（納付書・口座振替）", "6,500"))
    assert has_row(lines, ("第9期", "令和8年3月31日", "普通徴収（納付書・口座振替）", "6,500"))
    assert has_row(lines, ("合計", "58,600"))
    assert no_my_number(pdf)


def test_a_decision_whose_instalments_do_not_add_up_is_refused() -> None:
    with pytest.raises(ValueError, match="add up to 58500"):
        decision(instalments=tuple(Instalment(n, d, 6_500, "ordinary") for n, d in enumerate(DUE, 1)))


def test_a_changed_premium_says_henkou_with_the_amount_before() -> None:
    special = (Instalment(1, date(2025, 4, 15), 10_000, "special"),
               Instalment(2, date(2025, 6, 13), 10_000, "special"), Instalment(1, date(2025, 9, 1), 20_000, "ordinary"))
    lines = text_lines(render(PREMIUM_DECISION, decision(annual_premium=40_000, previous_annual=58_600,
                                                         instalments=special), ctx(date(2025, 8, 20))))
    assert "令和7年度 後期高齢者医療保険料額変更通知書 兼 納入通知書" in lines
    assert has_row(lines, ("変更前の年間保険料額", "58,600円")) and has_row(lines, ("年間保険料額", "40,000円"))
    assert has_row(lines, ("第2期", "令和7年6月13日", "特別徴収（年金から差引き）", "10,000"))


def test_payment_slips_one_per_instalment_three_to_a_page_with_the_payment_number() -> None:
    slips = PaymentSlips("熊本 太郎", "熊本市中央区手取本町1-1", "10000001", 2025, tuple(
        Slip(n, d, a, f"2025000000000001{n:02d}") for n, (d, a) in enumerate(zip(DUE, AMOUNTS, strict=True), 1)))
    pdf = render(PAYMENT_SLIPS, slips, ctx(date(2025, 7, 15), "PS-1"))
    lines = text_lines(pdf)
    assert len(page_sizes_mm(pdf)) == 3
    assert lines.count("202500000000000101") == 3  # 納付書, 領収済通知書, 領収証書
    for part in ("納付書", "領収済通知書", "領収証書"):
        assert lines.count(part) == 9
    assert has_row(lines, ("期別", "第1期", "納期限", "令和7年7月31日", "金額", "6,600円"))
    assert has_row(lines, ("期別", "第9期", "納期限", "令和8年3月31日", "金額", "6,500円"))
    assert lines.count("熊本 太郎　様") == 27 and no_my_number(pdf)


def test_the_dunning_notice_names_the_instalment_the_new_deadline_and_the_late_fee() -> None:
    notice = DunningNotice(TARO, "10000001", date(2025, 8, 28),
                           (DunningLine(2025, 1, date(2025, 7, 31), 6_600, "202500000000000101"),))
    lines = text_lines(render(DUNNING, notice, ctx(date(2025, 8, 18))))
    assert "後期高齢者医療保険料 督促状" in lines and "熊本 太郎　様" in lines
    assert has_row(lines, ("令和7年度", "第1期", "令和7年7月31日", "202500000000000101", "6,600", "0"))
    assert has_row(lines, ("指定期限", "令和7年8月28日", "納める額　6,600円"))
    joined = "".join(lines)
    assert "地方自治法第231条の3第1項" in joined and "延滞金" in joined


@pytest.mark.parametrize(("offsets", "refund", "title"), [
    ((OffsetLine(2025, 3, 6_500),), 5_500, "後期高齢者医療保険料 還付・充当通知書"),
    ((), 12_000, "後期高齢者医療保険料 還付通知書"),
    ((OffsetLine(2025, 3, 6_500), OffsetLine(2025, 4, 5_000, 500)), 0, "後期高齢者医療保険料 充当通知書"),
])
def test_the_refund_notice_title_follows_what_was_done(offsets: tuple[OffsetLine, ...], refund: int,
                                                        title: str) -> None:
    notice = RefundNotice(TARO, "10000001", date(2025, 10, 6), 12_000, "二重納付", offsets, refund, 0,
                          "肥後銀行 本店 普通 ****567")
    lines = text_lines(render(REFUND, notice, ctx(date(2025, 10, 6))))
    assert title in lines and has_row(lines, ("過誤納金額", "12,000円"))
    if refund:
        assert has_row(lines, ("還付額", f"{refund:,}円"))
    if offsets:
        assert has_row(lines, ("令和7年度", "第3期", "6,500", "0"))


def test_a_refund_without_an_account_asks_for_a_claim_and_one_that_does_not_add_up_is_refused() -> None:
    notice = RefundNotice(TARO, "10000001", date(2025, 10, 6), 2_400, "資格喪失による減額", (), 2_400, 0)
    assert "未登録（同封の還付請求書を提出してください）" in text(render(REFUND, notice, ctx(date(2025, 10, 6))))
    with pytest.raises(ValueError):
        RefundNotice(TARO, "10000001", date(2025, 10, 6), 12_000, "二重納付", (OffsetLine(2025, 3, 6_500),), 5_000, 0)


def test_the_disposal_certificate_names_the_subject_only_by_its_code() -> None:
    certificate = DisposalCertificate("P0000000009", "保存期間満了（番号法第20条）", (
        ErasedItem("個人番号（暗号化済）", "persons テーブル", "暗号消去（データキー削除）", date(2026, 3, 2)),),
        complete_on=date(2026, 4, 1), performed_by="S1006", confirmed_by="S1003")
    lines = text_lines(render(DISPOSAL, certificate, ctx(date(2026, 4, 1), "DC-1")))
    assert "特定個人情報 廃棄証明書" in lines and has_row(lines, ("対象（宛名コード）", "P0000000009"))
    assert has_row(lines, ("消去完了日", "令和8年4月1日")) and has_row(lines, ("実施者 / 確認者", "S1006 / S1003"))
    assert has_row(lines, ("個人番号（暗号化済）", "persons テーブル", "暗号消去（データキー削除）", "令和8年3月2日"))
