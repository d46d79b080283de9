"""The streaming scanner: evidence bytes in, facts out, with bounded memory.

Two speeds over the same line handling:

* ``full``: every line is cleaned and offered to the prompt recogniser and the parsers.  Used for
  pastes (small inputs), where a table may arrive without its prompt or header.
* ``fast``: for large files (syslog archives).  Whole chunks are lower-cased and searched with
  ``bytes.find`` for the few keywords every IPsec message carries (``ike``, ``ipsec``,
  ``isakmp``); only lines holding a hit go to Python.  Once a parser claims a block, the scanner
  reads line by line until the block ends, then returns to skipping.  Line numbers stay exact
  because the skipped newlines are counted with ``bytes.count``.

Lines longer than ``MAX_LINE`` bytes are cut (the rest of such a line is skipped, however long),
so a multi-megabyte single line costs no more memory than one chunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..model import Fact, Line, Unparsed
from ..parsers import registry
from ..parsers.base import Block, Context, Parser
from ..redact import redact
from .clean import clean_line
from .prompts import command_matches, command_tokens, parse_prompt

MAX_LINE = 64 * 1024
CHUNK = 8 * 1024 * 1024
FULL_SCAN_LIMIT = 16 * 1024 * 1024  # inputs up to this size are read in full mode
MAX_UNPARSED = 200
KEYWORDS = (b"ike", b"ipsec", b"isakmp")
_LOG_TAGS = ("IKE/", "IPSEC/", "IPSEC-VPN/", "IKE_", "IPSEC-", "%%01IKE", "%%01IPSEC")


@dataclass
class ScanStats:
    """What the scanner saw, for the report header and the benchmark."""

    sources: list[str] = field(default_factory=list)
    lines: int = 0
    bytes: int = 0
    unparsed: int = 0


class _SourceScanner:
    """State for one source: current device, current block, pending facts."""

    def __init__(self, source: str, stats: ScanStats, parsers: tuple[Parser, ...]) -> None:
        self.source = source
        self.stats = stats
        self.parsers = parsers
        self.log_parsers = tuple(p for p in parsers if getattr(p, "log_like", False))
        self.device: str | None = None
        self.known: set[str] = set()
        self.block: Block | None = None
        self.block_owned = False  # inside a command block that no parser owns
        self.command = ""
        self.out: list[Fact] = []
        self.emit = self.out.append

    # -- block management -------------------------------------------------------------------
    def _close(self) -> None:
        if self.block is not None:
            self.block.close()
            self.block = None

    def _ctx(self) -> Context:
        return Context(self.source, self.device, self.command, self.emit)

    def _start_command(self, command: str) -> None:
        self.command = command
        self.block_owned = False
        toks = command_tokens(command)
        if not toks:
            return
        for parser in self.parsers:
            for full in parser.commands:
                if command_matches(toks, full):
                    self.block = parser.start(self._ctx())
                    return
        self.block_owned = True

    # -- one line -----------------------------------------------------------------------------
    def line(self, raw: bytes, lineno: int) -> None:
        if len(raw) > MAX_LINE:
            raw = raw[:MAX_LINE]
        text = clean_line(raw.decode("utf-8", "replace"))
        if not text:
            if self.block is not None and not self.block.feed(Line(self.source, lineno, "")):
                self._close()
            return
        head = text.lstrip()[:1]
        if head in ("<", "[") or ">" in text or "#" in text:
            prompt = parse_prompt(text, self.known)
            if prompt is not None:
                self._close()
                self.device = prompt.device
                if len(self.known) < 1024:
                    self.known.add(prompt.device)
                self._start_command(prompt.command)
                return
        ev = Line(self.source, lineno, redact(text))
        if self.block is not None:
            if self.block.feed(ev):
                return
            self._close()
        candidates = self.log_parsers if self.block_owned else self.parsers
        for parser in candidates:
            if parser.accepts(text):
                self.block = parser.start(self._ctx())
                if self.block.feed(ev):
                    return
                self._close()
        if self.stats.unparsed < MAX_UNPARSED and any(t in text for t in _LOG_TAGS):
            self.stats.unparsed += 1
            self.emit(Unparsed(family="log", ev=ev, device=self.device))

    def finish(self) -> None:
        self._close()


def _keyword_hits(low: bytes, pos: int, nexts: list[int]) -> int:
    """Smallest position >= pos of any keyword in ``low`` (-1 if none); ``nexts`` is a cache."""
    best = -1
    for i, kw in enumerate(KEYWORDS):
        n = nexts[i]
        if n != -1 and n < pos:
            n = low.find(kw, pos)
            nexts[i] = n
        if n != -1 and (best == -1 or n < best):
            best = n
    return best


def scan_chunks(
    chunks: Iterable[bytes],
    source: str,
    *,
    mode: str = "full",
    stats: ScanStats | None = None,
    parsers: tuple[Parser, ...] | None = None,
) -> Iterator[Fact]:
    """Yield facts from one source given as byte chunks (any split; lines may span chunks)."""
    stats = stats if stats is not None else ScanStats()
    stats.sources.append(source)
    sc = _SourceScanner(source, stats, parsers if parsers is not None else registry())
    fast = mode == "fast"
    lineno = 0  # lines completed so far
    carry = b""
    skipping = False  # inside an over-long line whose head was already handled
    for chunk in chunks:
        if not chunk:
            continue
        stats.bytes += len(chunk)
        cut = chunk.rfind(b"\n")
        if cut == -1:
            if skipping:
                continue
            carry += chunk
            if len(carry) > MAX_LINE:
                sc.line(carry[:MAX_LINE], lineno + 1)
                carry = b""
                skipping = True
            continue
        buf = carry + chunk[: cut + 1]
        carry = chunk[cut + 1 :]
        if skipping:
            # the over-long line ends at the first newline of this buffer
            first = buf.find(b"\n")
            buf = buf[first + 1 :]
            lineno += 1
            skipping = False
        if len(carry) > MAX_LINE:
            carry = carry[:MAX_LINE]
            skipping = True
        lineno = _scan_buffer(sc, buf, lineno, fast)
        if sc.out:
            yield from sc.out
            sc.out.clear()
    if carry and not skipping:
        lineno = _scan_buffer(sc, carry + b"\n", lineno, fast)
    elif skipping:
        lineno += 1
    sc.finish()
    stats.lines += lineno
    if sc.out:
        yield from sc.out
        sc.out.clear()


def _scan_buffer(sc: _SourceScanner, buf: bytes, lineno: int, fast: bool) -> int:
    """Process ``buf`` (which ends with a newline); return the new count of completed lines."""
    n = len(buf)
    pos = 0
    if not fast:
        while pos < n:
            end = buf.find(b"\n", pos)
            lineno += 1
            sc.line(buf[pos:end], lineno)
            pos = end + 1
        return lineno
    low = buf.lower()
    nexts = [low.find(kw) for kw in KEYWORDS]
    while pos < n:
        if sc.block is not None:
            end = buf.find(b"\n", pos)
            lineno += 1
            sc.line(buf[pos:end], lineno)
            pos = end + 1
            continue
        hit = _keyword_hits(low, pos, nexts)
        if hit == -1:
            lineno += buf.count(b"\n", pos)
            return lineno
        start = buf.rfind(b"\n", pos, hit) + 1 if hit > pos else pos
        if start < pos:
            start = pos
        lineno += buf.count(b"\n", pos, start)
        end = buf.find(b"\n", hit)
        lineno += 1
        sc.line(buf[start:end], lineno)
        pos = end + 1
    return lineno


def scan_text(text: str, source: str = "<paste>", *, mode: str = "full") -> list[Fact]:
    """Convenience for tests and library users: all facts of one text."""
    return list(scan_chunks([text.encode("utf-8", "surrogatepass")], source, mode=mode))
