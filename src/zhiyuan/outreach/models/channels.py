"""热线与渠道: the hotlines, 微信公众号 / 微博 names, 免费报平安 phones, 爱心包裹 postal service and bank services
that seed 000 §三(一)3 asks to publish, kept by the officers of the organisation that runs each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zhiyuan.core.models import TimeStampedModel


class Channel(TimeStampedModel):
    class Kind(models.TextChoices):
        HOTLINE = "hotline", _("热线电话")
        WECHAT = "wechat", _("微信公众号")
        WEIBO = "weibo", _("微博")
        SAFE_CALL = "safe_call", _("免费报平安电话")
        PARCEL = "parcel", _("爱心包裹邮寄")
        BANK = "bank", _("银行服务")
        OTHER = "other", _("其他")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("负责单位"),
        on_delete=models.PROTECT,
        related_name="channels",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="channels",
        help_text=_("不填则长期有效"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    value = models.CharField(
        _("号码或账号"), max_length=200, blank=True, help_text=_("电话号码、公众号名称、微博账号或网址")
    )
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    published = models.BooleanField(_("公开"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("热线与渠道")
        verbose_name_plural = _("热线与渠道")
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["published", "kind", "order"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_phone(self) -> bool:
        digits = self.value.replace("-", "").replace(" ", "")
        return self.kind in (self.Kind.HOTLINE, self.Kind.SAFE_CALL) and digits.isdigit()

    @property
    def tel(self) -> str:
        return self.value.replace("-", "").replace(" ", "")
