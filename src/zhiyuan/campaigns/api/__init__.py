"""/api/v1/ routers of the campaigns app, one module per concept, assembled here."""

from ninja import Router

router = Router()
