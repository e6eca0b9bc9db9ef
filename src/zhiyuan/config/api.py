"""The REST API under /api/v1/: each app contributes a router; auth and errors are shared."""

from django.db import connection
from django.http import HttpRequest
from ninja import Schema

from zhiyuan.accounts.api import router as accounts_router
from zhiyuan.campaigns.api import router as campaigns_router
from zhiyuan.community.api import router as community_router
from zhiyuan.core.api import AUTH
from zhiyuan.core.api_contract import ContractAPI
from zhiyuan.hours.api import router as hours_router
from zhiyuan.notifications.api import router as notifications_router
from zhiyuan.ops.api import router as ops_router
from zhiyuan.organizations.api import router as organizations_router
from zhiyuan.outreach.api import router as outreach_router
from zhiyuan.people.api import router as people_router
from zhiyuan.reporting.api import router as reporting_router

api = ContractAPI(
    title="zhiyuan API",
    version="1",
    description="志愿服务活动管理平台 REST API。认证：`Authorization: Bearer <token>`（`zhiyuan create_token --user U`）。"
    '列表均分页：`{"items": [...], "count": N}`，参数 `limit`、`offset`。',
    auth=AUTH,
    urls_namespace="api-v1",
)


class Health(Schema):
    status: str
    database: str


@api.get("/healthz", auth=None, response=Health, tags=["health"])
def healthz(request: HttpRequest) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": "ok"}


api.add_router("/", organizations_router)
api.add_router("/", people_router)
api.add_router("/", campaigns_router)
api.add_router("/", hours_router)
api.add_router("/", reporting_router)
api.add_router("/", notifications_router)

api.add_router("/", community_router)
api.add_router("/", outreach_router)
api.add_router("/", "zhiyuan.core.holidays_api.router")  # the holiday calendar (issue 12 item 4)
api.add_router("/", accounts_router)
api.add_router("/", ops_router)
