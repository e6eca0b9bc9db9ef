"""/api/v1/ routers of the campaigns app, one module per concept, assembled here."""

from ninja import Router

from zhiyuan.campaigns.api import campaign_writes, rotation  # noqa: F401  (register on campaigns_router)
from zhiyuan.campaigns.api.campaigns import router as campaigns_router
from zhiyuan.campaigns.api.emergency import router as emergency_router
from zhiyuan.campaigns.api.shifts import router as shifts_router
from zhiyuan.campaigns.api.stations import router as stations_router

router = Router()
router.add_router("/", campaigns_router)
router.add_router("/", stations_router)
router.add_router("/", emergency_router)
router.add_router("/", shifts_router)
