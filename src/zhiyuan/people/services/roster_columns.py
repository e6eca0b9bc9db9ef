"""The roster spreadsheet's columns (Chinese headers) and how each cell becomes a value."""

from __future__ import annotations

from dataclasses import dataclass

from zhiyuan.organizations.roles import Role
from zhiyuan.people.models import Gender, IdType, PoliticalStatus


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    note: str = ""


COLUMNS = [
    Column("full_name", "姓名", True),
    Column("mobile", "手机号码", True, "11位手机号"),
    Column(
        "id_type",
        "证件类型",
        note="默认居民身份证；可填：" + "、".join(str(label) for label in IdType.labels),
    ),
    Column("id_number", "证件号码", True),
    Column("gender", "性别", note="居民身份证可不填"),
    Column("birth_date", "出生日期", note="居民身份证可不填，格式 1990-01-31"),
    Column("home", "所属区域", note="文明办名称，默认为导入单位所属文明办"),
    Column("residence", "居住区域", note="街道/社区"),
    Column("political_status", "政治面貌", note="、".join(str(label) for label in PoliticalStatus.labels)),
    Column("skills", "专业技能", note="多个用、分隔，如：医疗、驾驶"),
    Column("service_categories", "服务类别", note="多个用、分隔"),
    Column("emergency_name", "紧急联系人"),
    Column("emergency_phone", "紧急联系人电话"),
    Column("team", "队伍", note="加入的队伍名称（导入单位或其下级）"),
    Column("role", "角色", note="默认志愿者"),
    Column("title", "职务"),
]
HEADERS = {c.header: c for c in COLUMNS}
TEXT_KEYS = {"full_name", "residence", "emergency_name", "team", "title", "home"}

ID_TYPES = {str(label): value for value, label in IdType.choices}
GENDERS = {str(label): value for value, label in Gender.choices}
POLITICAL = {str(label): value for value, label in PoliticalStatus.choices} | {
    "党员": "party_member",
    "团员": "league_member",
}
ROLES = {str(label): value for value, label in Role.choices}


def split_list(value: str) -> list[str]:
    for sep in ("，", ",", "；", ";", "/", " "):
        value = value.replace(sep, "、")
    return [part for part in value.split("、") if part]
