"""Demo staff for local mode: one personal account per role, plus a second checker and a second operator, so that
each maker-checker change has someone to confirm it."""

from shared.domain.roles import Role
from shared.domain.staff import StaffMember

DEMO_STAFF = (
    StaffMember("S1001", "窓口 花子", "区役所 保険年金課 窓口", frozenset({Role.COUNTER_CLERK})),
    StaffMember("S1002", "番号 一郎", "保険年金課 資格係", frozenset({Role.MYNUMBER_CLERK})),
    StaffMember("S1003", "確認 次郎", "保険年金課 資格係", frozenset({Role.CHECKER})),
    StaffMember("S1004", "照合 三郎", "保険年金課 賦課係", frozenset({Role.CHECKER})),
    StaffMember("S1005", "収納 桜", "保険年金課 収納係", frozenset({Role.COLLECTION_OFFICER})),
    StaffMember("S1006", "管理 誠", "保険年金課 システム管理", frozenset({Role.DATA_STEWARD})),
    StaffMember("S1007", "監査 恵", "監査事務局", frozenset({Role.AUDITOR})),
    StaffMember("S1008", "運用 健", "情報政策課", frozenset({Role.OPERATOR})),
    StaffMember("S1009", "運用 二郎", "情報政策課", frozenset({Role.OPERATOR})),  # confirms S1008's staff changes
    StaffMember("S1099", "退職 太郎", "保険年金課", frozenset({Role.COUNTER_CLERK}), active=False),
)


def demo_staff_with_role(role: Role) -> StaffMember:
    for member in DEMO_STAFF:
        if member.active and role in member.roles:
            return member
    raise LookupError(f"no active demo staff member holds {role.value}")
