"""Every pydantic model and enum the API's operations use, found by walking the routers (for contract tests)."""

from __future__ import annotations

import enum
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from zhiyuan.config.api import api


def operations() -> Iterator[tuple[str, Any]]:
    for router in api._get_bound_routers():
        for path, view in router.path_operations.items():
            for operation in view.operations:
                yield f"{','.join(operation.methods)} {router.prefix}{path}", operation


def _types_in(annotation: Any) -> Iterator[Any]:
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _types_in(arg)


def models_of(root: Any, seen: set[Any]) -> Iterator[type]:
    """The model `root`, every model and enum its fields use, recursively."""
    for kind in _types_in(root):
        if not isinstance(kind, type) or kind in seen:
            continue
        if issubclass(kind, enum.Enum):
            seen.add(kind)
            yield kind
        elif issubclass(kind, BaseModel):
            seen.add(kind)
            # ninja's own parameter containers are not components; the models inside them are
            if not kind.__module__.startswith("ninja."):
                yield kind
            for field in kind.model_fields.values():
                yield from models_of(field.annotation, seen)


def used_models() -> dict[type, set[str]]:
    """model → the operations that use it (as parameters, body or any response)."""
    where: dict[type, set[str]] = {}
    for name, operation in operations():
        roots = list(operation.models) + list(operation.response_models.values())
        for root in roots:
            for model in models_of(root, set()):
                where.setdefault(model, set()).add(name)
    return where


class KeepConnection:
    """Calls to the WSGI app outside Django's test client must not close the test's database connection
    (Django closes "old" connections at each request's start and end; the test client switches that off,
    and so does this, or PostgreSQL loses the test's open transaction)."""

    def __enter__(self) -> KeepConnection:
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections

        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return self

    def __exit__(self, *exc: object) -> None:
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections

        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
