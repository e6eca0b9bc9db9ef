"""The structured part of each report form: attachment 2, 3 and 4 of seed 000, the weekly summary with the
next week's plan (seed 001). Free text (the plan, the summary, a brief) goes in `Submission.text`."""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiyuan.core import attachments
from zhiyuan.core.attachments import Field
from zhiyuan.organizations.models import ContactCategory
from zhiyuan.reporting.models import Form

__all__ = ["ACTIVITY_REPORT", "CONTACTS", "TEXT_REQUIRED", "WEEKLY_SUMMARY", "Field", "clean", "fields_for"]


ACTIVITY_REPORT = (
    Field("organizer", gettext_lazy("组织单位"), max_length=100),
    Field("activity_time", gettext_lazy("活动时间"), max_length=100),
    Field("place", gettext_lazy("活动地点"), max_length=200),
    Field("content", gettext_lazy("活动内容"), max_length=300),
    Field("details", gettext_lazy("详细信息"), multiline=True, max_length=5000),
    Field("other", gettext_lazy("其他需要说明的情况"), required=False, multiline=True),
)
# attachment 2: one row per category, in the seed's order
CONTACT_CATEGORIES = ("leader_in_charge", "person_in_charge", "liaison", "reporter")
CONTACTS = tuple(
    f
    for category in CONTACT_CATEGORIES
    for f in (
        Field(
            f"{category}_name",
            format_lazy("{}{}", ContactCategory(category).label, gettext_lazy("姓名")),
            max_length=50,
        ),
        Field(
            f"{category}_title",
            format_lazy("{}{}", ContactCategory(category).label, gettext_lazy("职务")),
            required=False,
            max_length=100,
        ),
        Field(
            f"{category}_office_phone",
            format_lazy("{}{}", ContactCategory(category).label, gettext_lazy("办公电话")),
            required=False,
            max_length=20,
        ),
        Field(
            f"{category}_mobile",
            format_lazy("{}{}", ContactCategory(category).label, gettext_lazy("手机")),
            max_length=20,
        ),
    )
)
WEEKLY_SUMMARY = (
    Field("summary", gettext_lazy("本周总结"), multiline=True, max_length=10000),
    Field("next_week_plan", gettext_lazy("下周计划"), multiline=True, max_length=10000),
)

# forms that are no printed attachment; the attachments' fields come from core.attachments (the app
# that prints a form owns its field list: attachment 3's is outreach's)
FIELDS: dict[str, tuple[Field, ...]] = {Form.WEEKLY_SUMMARY: WEEKLY_SUMMARY}
# forms whose substance is the free text
TEXT_REQUIRED = {Form.PLAN, Form.DYNAMIC_INFO, Form.SUMMARY, Form.DAILY_BRIEF, Form.ROSTER}


def fields_for(form: str) -> tuple[Field, ...]:
    attachment = attachments.for_form(form)
    return attachment.fields if attachment else FIELDS.get(form, ())


def clean(
    form: str, text: str, values: dict[str, Any], *, submitting: bool
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The form values normalised, and every problem at once. A draft may be incomplete; a submission not."""
    errors: dict[str, list[str]] = {}
    spec = {f.name: f for f in fields_for(form)}
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        field = spec.get(key)
        if field is None:
            errors.setdefault(key, []).append(_("表单中没有这一项。"))
            continue
        if value is None or value == "":
            continue
        if field.number:
            try:
                number = int(str(value).strip())
            except ValueError:
                errors.setdefault(key, []).append(_("“%(f)s”须为整数。") % {"f": field.label})
                continue
            if number < 0:
                errors.setdefault(key, []).append(_("“%(f)s”不能为负数。") % {"f": field.label})
                continue
            cleaned[key] = number
            continue
        if not isinstance(value, str):
            errors.setdefault(key, []).append(_("“%(f)s”须为文字。") % {"f": field.label})
            continue
        value = value.strip()
        if len(value) > field.max_length:
            errors.setdefault(key, []).append(
                _("“%(f)s”最多 %(n)d 字。") % {"f": field.label, "n": field.max_length}
            )
            continue
        if value:
            cleaned[key] = value
    if submitting:
        for field in spec.values():
            if field.required and field.name not in cleaned and field.name not in errors:
                errors.setdefault(field.name, []).append(_("请填写“%(f)s”。") % {"f": field.label})
        if form in TEXT_REQUIRED and not text.strip():
            errors.setdefault("text", []).append(_("请填写正文。"))
    return cleaned, errors
