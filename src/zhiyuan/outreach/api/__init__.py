"""/api/v1/ routers of the outreach app: the public read-only portal data (and a ticket claim), and the
officers' scoped endpoints."""

from ninja import Router

from zhiyuan.outreach.api.officer import router as officer_router
from zhiyuan.outreach.api.public import router as public_router

router = Router()
router.add_router("/", public_router)
router.add_router("/", officer_router)
