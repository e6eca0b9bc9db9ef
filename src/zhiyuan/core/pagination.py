"""The one pagination every API list uses: `{"items": [...], "count": N}` with bounded `limit` and `offset`.

`limit` is at most 200 (a client cannot ask the server to serialise a whole table at once) and `offset` at
most 2³¹−1: past that SQLite cannot even bind the number (it would be a 500), and no list is that long.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200
DEFAULT_LIMIT = 100
MAX_OFFSET = 2**31 - 1


class PageQuery(Schema):
    """`limit`/`offset` for a list that slices by hand (e.g. rows computed in Python)."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"每页条数，最多 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")


class Paginated(LimitOffsetPagination):
    """`@paginate(Paginated)` (or plain `@paginate`: it is NINJA_PAGINATION_CLASS)."""

    class Input(PageQuery):
        pass

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
