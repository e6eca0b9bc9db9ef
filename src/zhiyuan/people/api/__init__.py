"""/api/v1/ routers of the people app, one module per concept, assembled here."""

from ninja import Router

from zhiyuan.people.api.volunteers import router as volunteers_router

router = Router()
router.add_router("/", volunteers_router)
