"""Forms for the training pages. Field names match the service arguments, so a service's ValidationError
lands on the right field (see core.forms.submit); the services do the checking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhiyuan.organizations.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CourseForm(forms.Form):
    name = forms.CharField(label=_("培训名称"), max_length=120)
    content = forms.CharField(label=_("主要内容"), widget=forms.Textarea(attrs={"rows": 4}))
    hours = forms.DecimalField(
        label=_("学习时长（小时）"),
        max_digits=5,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    organizer = forms.ModelChoiceField(label=_("举办单位"), queryset=Organization.objects.none())
    date = forms.DateField(label=_("日期"), widget=DATE)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = organizations  # type: ignore[attr-defined]


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120, help_text=_("例如：《培训手册》"))
    file = forms.FileField(
        label=_("文件"),
        required=False,
        help_text=_("PDF、Word（DOCX）、PowerPoint（PPTX）或 MP4 视频，不超过50 MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.pptx,.mp4"}),
    )
    url = forms.CharField(
        label=_("或链接"),
        max_length=200,
        required=False,
        help_text=_("视频或在线文档地址，以 http:// 或 https:// 开头"),
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    place = forms.CharField(label=_("地点"), max_length=200)
    capacity = forms.IntegerField(label=_("名额"), widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class RequireForm(forms.Form):
    required_for = forms.ModelChoiceField(
        label=_("必修队伍"),
        queryset=Organization.objects.none(),
        help_text=_("该组织及其下级组织的志愿者须完成本培训"),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required_for"].queryset = organizations  # type: ignore[attr-defined]


class CompletionForm(forms.Form):
    volunteer = forms.CharField(label=_("志愿者编号"), max_length=20)
    completed_on = forms.DateField(label=_("完成日期"), widget=DATE)
