"""/api/v1/ routers of the community app: the public endpoints (no auth) and the officers' ones."""

from ninja import Router

from zhiyuan.community.api.officers import router as officers_router
from zhiyuan.community.api.outreach import router as outreach_router
from zhiyuan.community.api.public import router as public_router

router = Router()
router.add_router("/", public_router)
router.add_router("/", officers_router)
router.add_router("/", outreach_router)
