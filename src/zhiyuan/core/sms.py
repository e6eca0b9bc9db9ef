"""Sending text messages through a pluggable backend (setting `ZHIYUAN_SMS_BACKEND`).

A backend is any class with `send(self, *, mobile: str, text: str) -> None` that raises `SmsError` when the
message could not be handed over. The default `ConsoleBackend` writes to the log (and stdout), which is
how the demo and development read one-time codes; `MemoryBackend` keeps messages for tests. A real gateway
(阿里云短信, 腾讯云短信 …) is a small class of this shape configured by dotted path.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("zhiyuan.sms")


class SmsError(Exception):
    pass


class Backend(Protocol):
    def send(self, *, mobile: str, text: str) -> None: ...


class ConsoleBackend:
    def send(self, *, mobile: str, text: str) -> None:
        # The console is the demo's phone: a code printed here is what a volunteer would receive.
        print(f"[SMS to {mobile}] {text}", file=sys.stdout, flush=True)


@dataclass
class Sent:
    mobile: str
    text: str


class MemoryBackend:
    outbox: list[Sent] = []

    def send(self, *, mobile: str, text: str) -> None:
        MemoryBackend.outbox.append(Sent(mobile, text))


def backend() -> Backend:
    path = getattr(settings, "ZHIYUAN_SMS_BACKEND", "zhiyuan.core.sms.ConsoleBackend")
    return import_string(path)()


def send(*, mobile: str, text: str) -> None:
    backend().send(mobile=mobile, text=text)
