"""A printed sign-in poster (签到海报): a long-lived code that proves the place, not the time.

The code on paper stays good for the campaign (a shift's poster at least until the shift ends); printing a
new one on purpose (重新打印) revokes the earlier one, so a leaked poster is stopped without waiting. The
booking, the server's clock and optionally the phone's position do the rest (services/checkin.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiyuan.core.models import TimeStampedModel


class Poster(TimeStampedModel):
    shift = models.ForeignKey(
        "campaigns.Shift", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    station = models.ForeignKey(
        "campaigns.Station", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    valid_until = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("签到海报")
        verbose_name_plural = _("签到海报")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shift__isnull=True, station__isnull=False)
                | models.Q(shift__isnull=False, station__isnull=True),
                name="poster_one_target",
            )
        ]
        indexes = [
            models.Index(fields=["shift", "revoked_at"]),
            models.Index(fields=["station", "revoked_at"]),
        ]
