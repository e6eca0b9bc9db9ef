"""/api/v1/ routers of the hours app, one module per concept, assembled here."""

from ninja import Router

from zhiyuan.hours.api.certificates import router as certificates_router
from zhiyuan.hours.api.checkin import router as checkin_router
from zhiyuan.hours.api.hours import router as hours_router
from zhiyuan.hours.api.ledger import router as ledger_router

router = Router()
router.add_router("/", checkin_router)
router.add_router("/", ledger_router)
router.add_router("/", hours_router)
router.add_router("/", certificates_router)

from zhiyuan.hours.api.rankings import router as rankings_router  # noqa: E402
from zhiyuan.hours.api.recognition import router as recognition_router  # noqa: E402

router.add_router("/", recognition_router)
router.add_router("/", rankings_router)

from zhiyuan.hours.api.attendance import router as attendance_router  # noqa: E402

router.add_router("/", attendance_router)

from zhiyuan.hours.api.approvals import router as approvals_router  # noqa: E402

router.add_router("/", approvals_router)

from zhiyuan.hours.api.posters import router as posters_router  # noqa: E402

router.add_router("/", posters_router)

from zhiyuan.hours.api.fraud import router as fraud_router  # noqa: E402

router.add_router("/", fraud_router)
