"""The parser protocol the scanner drives, and the context a block is parsed in.

A parser claims a block either by the command typed at a prompt (``commands``) or by the shape
of a line when no prompt is present (``accepts``).  The scanner then feeds it the block's lines
one by one until ``feed`` returns False (the line belongs to something else) or a new prompt
arrives, and finally calls ``close``.  Facts go to ``ctx.emit``.

Optional members the scanner uses when present (``ingest/scan.py``):

* ``Parser.priority`` (default 100): dispatch order, lower first; ``Parser.log_like``: reads log
  lines (the only parsers offered a line with an IKE/IPsec module tag, or a line inside a
  command block that no parser owns);
* ``Parser.hints``: substrings, matched case-insensitively, one of which every line ``accepts``
  takes holds (``"^x"``: the line starts with ``x`` after blanks); other lines skip the parser;
* ``Parser.quick(ev, ctx) -> bool``: emit the facts of ``ev`` (an already redacted line that is a
  whole message by itself) exactly as ``accepts``/``start``/``feed``/``close`` would, without a
  block; False leaves the line to the normal path.  Tried before ``accepts``;
* ``Block.ended`` (``True``): after ``feed`` took a line, no further line can belong to the
  block, so the scanner closes it at once;
* ``Block.ends_before(text) -> bool``: True when the cleaned, not yet redacted ``text`` is not
  part of the block whatever redaction makes of it, and ``feed`` would only flush; the scanner
  then closes the block without redacting the line for it.

A ``Context`` may be shared by several blocks of one device and command: parsers only read it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..model import Fact, Line


class Context:
    """Where a block sits: its source, its device, and the sink for its facts."""

    __slots__ = ("command", "device", "emit", "prompt", "source")

    def __init__(
        self,
        source: str,
        device: str | None,
        command: str,
        emit: Callable[[Fact], None],
        prompt: Line | None = None,
    ) -> None:
        self.source = source
        self.device = device
        self.command = command
        self.emit = emit
        self.prompt = prompt  # the prompt line that typed the command, when there was one


class Block(Protocol):
    def feed(self, ev: Line) -> bool:
        """Consume one line of the block; False means the line is not part of it."""

    def close(self) -> None:
        """The block ended: emit whatever is still pending."""


class Parser(Protocol):
    name: str
    vendor: str
    # Command token tuples this parser owns, e.g. ("display", "ike", "error-info").
    commands: tuple[tuple[str, ...], ...]

    def accepts(self, text: str) -> bool:
        """Cheap test: does this line start a block of ours when no prompt announced it?"""

    def start(self, ctx: Context) -> Block:
        """Begin a block; the triggering line (if any) is then fed to it."""
