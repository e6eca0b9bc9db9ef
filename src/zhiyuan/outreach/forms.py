"""Officer forms for channels, venues and donations. They parse; the services judge, and
`core.forms.submit` puts the services' messages on the fields."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiyuan.campaigns.models import Campaign
from zhiyuan.outreach.models import Channel, TicketDonation, Venue
from zhiyuan.outreach.selectors import officer as selectors
from zhiyuan.outreach.services.channels import CHANNEL_FIELDS, channel_problems
from zhiyuan.outreach.services.tickets import DONATION_FIELDS, donation_problems
from zhiyuan.outreach.services.venues import VENUE_FIELDS, venue_problems

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _Owned(forms.ModelForm):
    """The organisation a record is filed under: only those the user may manage outreach for."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:
            field = self.fields["organization"]
            field.queryset = selectors.owners(user=user)  # type: ignore[attr-defined]
            field.label_from_instance = lambda o: o.name  # type: ignore[attr-defined]
        if "campaign" in self.fields:
            self.fields["campaign"].queryset = Campaign.objects.order_by("-starts_on")  # type: ignore[attr-defined]

    def problems(self, obj: Any) -> dict[str, list[str]]:
        raise NotImplementedError

    def _post_clean(self) -> None:
        """Model checks belong to the service: `clean` asks it, so every bad field shows at once."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        obj = copy.copy(self.instance)
        for field, value in data.items():
            if field != "organization":
                setattr(obj, field, value)
        for field, messages in self.problems(obj).items():
            target = field if field in self.fields else None
            if target is None or not self.has_error(target):
                for message in messages:
                    self.add_error(target, message)
        return data

    def service_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "organization"}


class ChannelForm(_Owned):
    def problems(self, obj: Any) -> dict[str, list[str]]:
        return channel_problems(obj)

    class Meta:
        model = Channel
        fields = ["organization", *CHANNEL_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class VenueForm(_Owned):
    def problems(self, obj: Any) -> dict[str, list[str]]:
        return venue_problems(obj)

    class Meta:
        model = Venue
        fields = ["organization", *VENUE_FIELDS]
        widgets = {"free_rules": forms.Textarea(attrs={"rows": 3})}


class DonationForm(_Owned):
    def problems(self, obj: Any) -> dict[str, list[str]]:
        return donation_problems(obj)

    class Meta:
        model = TicketDonation
        fields = ["organization", *DONATION_FIELDS]
        widgets = {"claim_opens_at": DATETIME, "claim_closes_at": DATETIME}


class DecideForm(forms.Form):
    reason = forms.CharField(label=_("答复"), max_length=200, required=False)
