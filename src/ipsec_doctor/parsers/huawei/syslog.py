"""Placeholder: the Huawei syslog parser is being written (see issue 2); it claims nothing yet."""

from __future__ import annotations

from ..base import Context


class _Nothing:
    def feed(self, ev) -> bool:
        return False

    def close(self) -> None:
        pass


class SyslogParser:
    name = "huawei.syslog"
    vendor = "huawei"
    log_like = True
    commands: tuple[tuple[str, ...], ...] = ()

    def accepts(self, text: str) -> bool:
        return False

    def start(self, ctx: Context) -> _Nothing:
        return _Nothing()
