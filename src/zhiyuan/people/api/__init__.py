"""/api/v1/ routers of the people app, one module per concept, assembled here."""

from ninja import Router

from zhiyuan.people.api.recruitment import router as recruitment_router
from zhiyuan.people.api.training import router as training_router
from zhiyuan.people.api.volunteers import router as volunteers_router

router = Router()
router.add_router("/", volunteers_router)
router.add_router("/", recruitment_router)
router.add_router("/", training_router)
