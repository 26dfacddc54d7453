"""A person as the back office holds them: insured persons, household members, former insured (PIA-II-2-a).

Pure: the fields a person record has (every 宛名 and 資格 item of the PIA's 別添1, see
`shared/domain/data/betten1_items.json`), their rules, and how a change request's diff is applied. The My
Number is handled apart (it never sits in a record in the clear; see shared.adapters.field_crypto).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.domain.errors import Invalid
from shared.domain.kana import kana_key


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # "str", "date", "bool", or "code" (one of `codes`)
    meaning: str
    codes: tuple[str, ...] = ()
    max_length: int = 200


def _s(meaning: str, max_length: int = 200) -> FieldSpec:
    return FieldSpec("str", meaning, max_length=max_length)


def _d(meaning: str) -> FieldSpec:
    return FieldSpec("date", meaning)


RESIDENT_STATUSES = ("registered", "non-resident", "moved-out", "deceased")

# Fields a change request or a resident-register row may set. `person_id` (宛名コード) and `version` are the
# record's identity and are never set by a change.
PERSON_FIELDS: dict[str, FieldSpec] = {
    # 宛名
    "household_id": _s("世帯コード", 24),
    "name": _s("氏名", 100),
    "name_kana": _s("氏名カナ", 100),
    "alias_name": _s("通称名", 100),
    "alias_kana": _s("通称名カナ", 100),
    "birth_date": _d("生年月日"),
    "sex": FieldSpec("code", "性別 (1 男, 2 女)", ("1", "2")),
    "relationship": _s("続柄", 20),
    "is_household_head": FieldSpec("bool", "世帯主"),
    "postal_code": _s("郵便番号", 8),
    "address": _s("住所"),
    "address_detail": _s("住所方書"),
    "address_code": _s("住所コード", 20),
    "resident_status": FieldSpec("code", "住民区分", RESIDENT_STATUSES),
    "change_reason": _s("異動事由", 40),
    "changed_on": _d("異動日"),
    "notified_on": _d("届出日"),
    "resident_change_reason": _s("住民日異動事由", 40),
    "resident_changed_on": _d("住民日異動日"),
    "resident_notified_on": _d("住民日届出日"),
    "nonresident_change_reason": _s("非住民日異動事由", 40),
    "nonresident_changed_on": _d("非住民日異動日"),
    "nonresident_notified_on": _d("非住民日届出日"),
    "nationality": _s("国籍", 40),
    "entry_purpose": _s("入国目的", 60),
    "residence_period": _s("在留期間", 40),
    "residence_expires_on": _d("在留期間満了日"),
    "foreign_resident_since": _d("外国人住民となった日"),
    "previous_postal_code": _s("転入前郵便番号", 8),
    "previous_address": _s("転入前住所"),
    "previous_address_detail": _s("転入前住所方書"),
    "moved_out_postal_code": _s("転出先郵便番号", 8),
    "moved_out_address": _s("転出先住所"),
    "moved_out_address_detail": _s("転出先住所方書"),
    "moved_out_prefecture": _s("転出先都道府県コード (JIS X 0401)", 2),
    "mailing_address": _s("送付先情報"),
    "phone": _s("連絡先情報", 20),
    "remarks": _s("特記事項情報", 500),
    "public_assistance_since": _d("生活保護情報: 保護開始日 (法第51条第1号の適用除外)"),
    "public_assistance_ended_on": _d("生活保護情報: 保護廃止日"),
    "former_roken_number": _s("老人保健情報: 旧老人保健受給者番号", 20),
    "suspended": FieldSpec("bool", "利用停止 (PIA-IV-1)"),
    # 資格 (法第50〜55条)
    "insured_number": _s("被保険者番号", 8),
    "eligibility_status": FieldSpec("code", "資格状態", ("insured", "not-insured", "lost")),
    "eligibility_acquired_on": _d("資格取得日"),
    "eligibility_lost_on": _d("資格喪失日"),
    "eligibility_changed_on": _d("資格異動日"),
    "eligibility_change_reason": _s("資格異動事由", 40),
    "disability_certified_on": _d("障害認定日 (法第50条第2号)"),
    "disability_certificate": _s("障害認定の手帳種別・等級", 40),
    "disability_withdrawn_on": _d("障害認定撤回日"),
    "special_address_insurer": _s("住所地特例の保険者 (法第55条; 広域連合の都道府県コード)", 40),
    "special_address_facility": _s("住所地特例対象施設 (法第55条第1項各号の病院等)", 100),
    "special_address_from": _d("住所地特例 開始日 (入院等の日)"),
    "special_address_until": _d("住所地特例 終了日 (退院等の日; この日から特例なし)"),
    "special_address_notified_on": _d("住所地特例 届出日"),
    "special_address_basis": FieldSpec("code", "住所地特例の根拠", ("法第55条第1項", "法第55条の2")),
    "special_address_facility_kind": _s("住所地特例対象施設の種類 (法第55条第1項各号)", 40),
    "special_address_facility_prefecture": _s("住所地特例対象施設の所在都道府県コード (JIS X 0401)", 2),
    "insurer": _s("保険者 (資格を有する広域連合の都道府県コード)", 2),
    "public_assistance_suspended_from": _d("生活保護情報: 保護停止日 (法第51条第1号: 停止中は適用除外でない)"),
    "public_assistance_suspended_until": _d("生活保護情報: 保護停止解除日"),
    "other_exclusion_since": _d("適用除外 (法第51条第2号) 該当日"),
    "other_exclusion_ended_on": _d("適用除外 (法第51条第2号) 非該当日"),
    "has_myna_insurance_card": FieldSpec("bool", "マイナ保険証の登録"),
    # 広域連合の判定 (法第67条; the 被保険者情報 file, functions/intake/rules/kouiki_results.py)
    "copayment_ratio": FieldSpec("code", "一部負担金の割合", ("1割", "2割", "3割")),
    "copayment_year": _s("負担割合の判定年度", 4),
    "limit_class": _s("限度額適用区分 (限度額区分)", 20),
}
MY_NUMBER_FIELD = "mynumber"
REQUIRED_ON_CREATE = ("name", "name_kana", "birth_date", "sex", "address")


class InvalidChange(Invalid):
    code = "invalid-change"
    title = "The change is not valid"


def validate_values(values: dict[str, Any]) -> None:
    """Refuse values no record may hold; the API edge has already checked types from the same specs."""
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidChange(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in values.items():
        spec = PERSON_FIELDS[name]
        if value is None:
            continue
        if spec.kind == "code" and value not in spec.codes:
            raise InvalidChange(f"{name} is one of {', '.join(spec.codes)}")
        if spec.kind == "date":
            try:
                date.fromisoformat(value)
            except (TypeError, ValueError):
                raise InvalidChange(f"{name} is a date (YYYY-MM-DD)") from None
        if spec.kind == "str" and len(str(value)) > spec.max_length:
            raise InvalidChange(f"{name} is at most {spec.max_length} characters")


def diff(current: dict[str, Any] | None, proposed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field -> {"from", "to"} for the fields that really change."""
    current = current or {}
    return {
        name: {"from": current.get(name), "to": value}
        for name, value in sorted(proposed.items())
        if current.get(name) != value
    }


def derived_fields(record: dict[str, Any]) -> dict[str, Any]:
    """Search keys computed from the record, here and nowhere else."""
    out: dict[str, Any] = {}
    if record.get("name_kana"):
        out["kana_key"] = kana_key(record["name_kana"])
    if record.get("birth_date"):
        out["birth_month"] = record["birth_date"][:7]
    return out


def apply_diff(current: dict[str, Any] | None, changes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The record after the change, with its derived search keys."""
    record = dict(current or {})
    for name, change in changes.items():
        if name != MY_NUMBER_FIELD:
            record[name] = change["to"]
    record.update(derived_fields(record))
    return record
