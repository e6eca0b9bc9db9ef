"""/api/v1/ routers of the reporting app, one module per concept, assembled here."""

from ninja import Router

from zhiyuan.reporting.api.reports import router as reports_router

router = Router()
router.add_router("/", reports_router)
router.add_router("/", "zhiyuan.reporting.api.rules.router")  # a campaign's deadline rules
router.add_router("/", "zhiyuan.reporting.api.scoreboard.router")  # scoreboard, heat-map, summary PDF
