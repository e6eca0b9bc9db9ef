"""Which JSON types an input field accepts, so a request body is read as its schema says and no looser.

pydantic's lax mode turns `0` into `false`, `"yes"` into `true`, `3600` into a time of day and `"5"` into an
integer. The OpenAPI document promises a boolean, a string in a given format, an integer: a client that sends
something else has a bug, and saying so (422) is kinder than guessing. `Strict` (core.api) checks every body
field against the JSON types its annotation allows before pydantic converts it, and reads a date-time
without an offset as Beijing time (DESIGN §4: deadlines and shifts are Beijing wall-clock times).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

# a Beijing wall-clock time of day: no offset (the document says so with this pattern, not `format: time`,
# whose RFC 3339 form demands one)
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"
_TIME = re.compile(TIME_PATTERN)

_STRING_LIKE = (str, dt.date, dt.datetime, dt.time, dt.timedelta, uuid.UUID, bytes)


def json_kinds(annotation: Any) -> set[type] | None:
    """The Python types (as json.loads gives them) a field may receive; None when anything goes."""
    if annotation is Any or annotation is None:
        return None if annotation is Any else {type(None)}
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return json_kinds(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds: set[type] = set()
        for arg in typing.get_args(annotation):
            part = json_kinds(arg)
            if part is None:
                return None
            kinds |= part
        return kinds
    if origin is typing.Literal:
        return {type(v) for v in typing.get_args(annotation)}
    if origin in (list, tuple, set, frozenset):
        return {list}
    if origin is dict:
        return {dict}
    if annotation is type(None):
        return {type(None)}
    if not isinstance(annotation, type):
        return None
    if issubclass(annotation, bool):
        return {bool}
    if issubclass(annotation, enum.Enum):
        return {type(m.value) for m in annotation}
    if issubclass(annotation, int):
        return {int}
    if issubclass(annotation, float):
        return {int, float}
    if issubclass(annotation, Decimal):
        return {int, float, str}
    if issubclass(annotation, _STRING_LIKE):
        return {str}
    if issubclass(annotation, (list, tuple, set, frozenset)):
        return {list}
    if issubclass(annotation, (dict, BaseModel)):
        return {dict}
    return None


def wrong_json_type(annotation: Any, value: Any) -> bool:
    kinds = json_kinds(annotation)
    if kinds is None:
        return False
    actual = type(value)
    if actual is bool:  # a bool is an int to Python, never to JSON
        return bool not in kinds
    return not any(actual is k or (k is not bool and issubclass(actual, k)) for k in kinds)


def is_time_of_day(annotation: Any) -> bool:
    kinds = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    return all(k is dt.time for k in kinds)


def bad_time_text(value: Any) -> bool:
    return isinstance(value, str) and not _TIME.match(value)
