"""/api/v1/ routers of the campaigns app, one module per concept, assembled here."""

from ninja import Router

from zhiyuan.campaigns.api.campaigns import router as campaigns_router

router = Router()
router.add_router("/", campaigns_router)
