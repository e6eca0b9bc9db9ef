from zhiyuan.outreach.models.channels import Channel
from zhiyuan.outreach.models.tickets import TicketClaim, TicketDonation
from zhiyuan.outreach.models.venues import Venue, VenueReservation

__all__ = ["Channel", "TicketClaim", "TicketDonation", "Venue", "VenueReservation"]
