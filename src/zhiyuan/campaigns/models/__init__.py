from zhiyuan.campaigns.models.campaign import Anchor, Campaign, Phase, Programme, ServiceItem
from zhiyuan.campaigns.models.duty import Duty, DutyFiling
from zhiyuan.campaigns.models.emergency import (
    Activation,
    ActivationResponse,
    ContingencyPlan,
    EmergencyPairing,
    Incident,
)
from zhiyuan.campaigns.models.shift import RecurringShift, Shift, Signup, SwapRequest
from zhiyuan.campaigns.models.station import (
    Consumable,
    Service,
    ServiceGiven,
    StandardCheck,
    StandardItem,
    Station,
    StationLink,
    StockMovement,
)

__all__ = [
    "Activation",
    "ActivationResponse",
    "Anchor",
    "Campaign",
    "Consumable",
    "ContingencyPlan",
    "Duty",
    "DutyFiling",
    "EmergencyPairing",
    "Incident",
    "Phase",
    "Programme",
    "RecurringShift",
    "Service",
    "ServiceGiven",
    "ServiceItem",
    "Shift",
    "Signup",
    "StandardCheck",
    "StandardItem",
    "Station",
    "StationLink",
    "StockMovement",
    "SwapRequest",
]
