"""The report's edit form, built from the form kind's structured fields (form_fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiyuan.reporting.form_fields import TEXT_REQUIRED, fields_for


class ReportForm(forms.Form):
    text = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 12}))

    def __init__(self, *args: Any, form_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("正文") if form_kind in TEXT_REQUIRED else _("补充说明")
        self.spec = fields_for(form_kind)
        for f in self.spec:
            widget: forms.Widget = forms.Textarea(attrs={"rows": 6}) if f.multiline else forms.TextInput()
            if f.number:
                widget = forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
            self.fields[f.name] = forms.CharField(label=str(f.label), required=False, widget=widget)
            self.fields[f.name].required_on_submit = f.required  # type: ignore[attr-defined]

    def values(self) -> tuple[str, dict[str, Any]]:
        data = self.cleaned_data
        return data.get("text", ""), {f.name: data.get(f.name, "") for f in self.spec}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("图片或视频"))
    caption = forms.CharField(label=_("说明"), required=False, max_length=200)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    title = forms.CharField(label=_("发布标题"), max_length=200)
    text = forms.CharField(label=_("发布正文"), widget=forms.Textarea(attrs={"rows": 10}))
    photo_ids = forms.MultipleChoiceField(
        label=_("发布图片"), required=False, widget=forms.CheckboxSelectMultiple
    )
