"""The streaming scanner: evidence bytes in, facts out, with bounded memory.

Two speeds over the same line handling (``_SourceScanner.line``):

* ``full``: every line is cleaned and offered to the prompt recogniser and the parsers.  Used for
  pastes (small inputs), where a table may arrive without its prompt or header.
* ``fast``: for large files (syslog archives).  Only *candidate* lines go to Python; the others
  are skipped in C (``candidates.find``: one Hyperscan pass over each chunk, or ``re``/``bytes``
  searches where that package is missing) and only counted, so line numbers stay exact.  A
  line is a candidate when

  - it holds a keyword (``ike``, ``ipsec``, ``isakmp`` in the spellings vendors print:
    ``candidates.KEYWORD_SPELLINGS``; a freak mixed case such as "iKe" is read in full mode
    only), except a lower-case ``ike`` glued to a preceding letter ("like", "bike", "strike",
    "Mike"): no IPsec message is spelled that way; and it is not a message of another module
    (``candidates.foreign``: ``%%01SHELL/5/CMDRECORD ... Command="display ike sa"``, a
    lower-case keyword in a command or a user name);
  - it holds the tag of a Cisco VPN message whose text may name no keyword
    (``%CRYPTO-4-PKT_REPLAY_ERR``, ``%ASA-5-713904``; ``candidates._CISCO_TAG``);
  - it may be a CLI prompt: its first non-blank character is ``<`` (not a ``<134>`` syslog
    priority) or ``[``, or a ``>``/``#`` is followed by the end of the line or a command verb;
  - it carries terminal debris that cleaning could turn into a prompt or a keyword (escape
    sequences, backspaces, a carriage return that is not part of CRLF, a paging prompt at its
    start);
  - or a parser holds an open block (then every line goes to Python until the block ends).

  For every other line the full mode does nothing either, provided each parser's ``accepts``
  needs a keyword: facts are then identical in both modes (``tests/test_scan.py``).  Parsers that
  claim keyword-less lines without a prompt (a reason table pasted without prompt and header)
  only work in full mode.

Line handling, the same in both modes (all of it a function of the line's bytes and the state):
a prompt ends the current block; an open block is fed the line (a block may say at once that a
line ``ends_before`` it, so the line is not even redacted for it, and that it has ``ended``,
so the next line is dispatched afresh: see ``parsers.base``); a message of another module
(``candidates.foreign``) stops there; a line with an IKE/IPsec module tag (``IKE/5/``,
``IPSEC-VPN/4/``) is only offered to the log parsers (``log_like``), the others to every parser,
in ``priority`` order.  A parser may declare ``hints`` (substrings, matched case-insensitively,
one of which every line its ``accepts`` takes holds; ``"^x"``: at the start of the line), then
only lines holding one reach it, and a ``quick`` path that emits the facts of a whole one-line
message without a block.  Lines are redacted before any parser sees them (``_Redactor``:
``redact``, with the message part of log lines memoised).

Cost (``bench/huawei_syslog.py``, 500 MB, 2.4 % IPsec lines, ~1.2 s in all with Hyperscan):
~0.1 s start-up; ~0.45 s in C: the candidate pass ~0.25 s (~2 GB/s; the ``re`` finder needs
~1 s, most of it stopping at every "i", "I" and "%"), newline counting ~0.16 s (``bytes.count``,
~3.3 GB/s), reading ~0.03 s.  Then Python: ~0.5 µs per keyword line that is not offered (~85 000
other modules' commands, checked by ``candidates.foreign``) and ``line`` for the ~66 000 offered
lines (~0.45 s: ~5 µs per one-line IPsec message, ~25 µs per debug record with the line after
it).  ``ScanStats.offered`` counts the lines that reach ``line``.

Line handling that is the same in both modes: ``\\n`` ends a line (a source whose first 64 KiB
hold ``\\r`` but no ``\\n`` uses ``\\r``); lines longer than ``MAX_LINE`` bytes are cut to their
first ``MAX_LINE`` bytes and the rest is skipped, however long, so a multi-megabyte single line
costs no more memory than one chunk; how the bytes are split into chunks never matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..model import Fact, Line, Unparsed
from ..parsers import registry
from ..parsers.base import Block, Context, Parser
from ..redact import PATTERN_WORDS, redact
from . import candidates
from .candidates import MAX_LINE, foreign
from .clean import clean_bytes
from .compressed import StreamError
from .prompts import command_matches, command_tokens, parse_prompt

CHUNK = 1024 * 1024
FULL_SCAN_LIMIT = 16 * 1024 * 1024  # inputs up to this size are read in full mode
MAX_UNPARSED = 200
_LOG_TAGS = ("IKE/", "IPSEC/", "IPSEC-VPN/", "IKE_", "IPSEC-", "%%01IKE", "%%01IPSEC")

# An IKE/IPsec module tag ("IKE/5/", "IPSEC-VPN/4/", "IKEV2/7/") in a line's first bytes: such a
# line is only offered to the log parsers (``log_like``), and is never ``_foreign``.
_IPSEC_TAG = re.compile(rb"(?:IKE|IPSEC|ISAKMP)[A-Za-z0-9_-]{0,16}/[0-9]/")
_TAG_HEAD = 256

# -- redaction of log lines, memoised -------------------------------------------------------------
# A Huawei log line is "<stamp> <host> %%01MODULE/5/NAME(l)[123]:<message>" (a debug header has
# no "%%01"); a debug body is "IKE_INFO 2:5773 <message>" or "[IPSEC-Error] <message>".  When
# that head holds none of the words of redact()'s keyword patterns (``redact.PATTERN_WORDS``),
# and the message does not start with what a ``: PSK`` secrets-file pattern needs after a colon
# (nor with "key", which alone on a line is a bare key), no pattern can match in the head or
# across it into the message (the stamp is month names, digits and colons; the
# other colons are followed by digits), so ``redact(line) == head + redact(message)``; messages
# repeat, so their redaction is memoised.  ``tests/test_scan.py`` checks the equality on
# generated lines with secrets everywhere.
_LOG_PREFIX = re.compile(
    r"(?:<[0-9]{1,3}>)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}[0-9]{1,2} "
    r"[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6}){0,2}(?:[+-][0-9]{2}:[0-9]{2})? "
    r"([A-Za-z0-9_.-]{1,64} (?:%%[0-9]{2})?[A-Za-z][A-Za-z0-9_-]{0,31}/[0-9]/[A-Za-z0-9_-]{1,40})"
    r"(?:\([A-Za-z]\))?(?:\[[0-9]{1,10}\])?:"
    r"|(IKE_[A-Z]{1,16} [0-9]{1,6}:[0-9]{1,6} |\[IPSEC-[A-Za-z]{1,16}\] )"
)
_SECRET_START = frozenset(" \tPXENRB")  # ": PSK", ": XAUTH", ": EAP", ": NTLM", ": RSA", ...
_MEMO_MAX = 4096
_MEMO_TEXT = 1024


class _Redactor:
    """``redact`` with the message of Huawei log lines memoised (bounded, emptied when full)."""

    __slots__ = ("heads", "messages")

    def __init__(self) -> None:
        self.heads: dict[str, bool] = {}  # "host %%01MODULE/5/NAME" -> safe to split after
        self.messages: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        m = _LOG_PREFIX.match(text)
        if m is None:
            return redact(text)
        end = m.end()
        head = m.group(1)
        if head is None:
            head = m.group(2)  # a debug body's tag: no colon before the message
        elif text[end : end + 1] in _SECRET_START:
            return redact(text)
        if len(text) - end > _MEMO_TEXT or text[end : end + 20].lstrip()[:3].lower() == "key":
            # (a message that starts with "key" is a bare-key line on its own, not in the line)
            return redact(text)
        safe = self.heads.get(head)
        if safe is None:
            low = head.lower()
            safe = not any(g in low for g in PATTERN_WORDS)
            if len(self.heads) >= _MEMO_MAX:
                self.heads.clear()
            self.heads[head] = safe
        if not safe:
            return redact(text)
        msg = text[end:]
        red = self.messages.get(msg)
        if red is None:
            red = redact(msg)
            if len(self.messages) >= _MEMO_MAX:
                self.messages.clear()
            self.messages[msg] = red
        return text if red is msg or red == msg else text[:end] + red


@dataclass
class ScanStats:
    """What the scanner saw, for the report header and the benchmark."""

    sources: list[str] = field(default_factory=list)
    lines: int = 0
    bytes: int = 0
    unparsed: int = 0
    offered: int = 0  # lines handed to Python line handling (all of them in full mode)


def _hints(parser: Parser) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(substrings, starts): a parser's ``hints``, lower-cased; "^x" means "x" at the start of
    the line (after blanks).  Both empty: no hints, every line goes to ``accepts``."""
    hints = getattr(parser, "hints", None)
    if not hints or not all(isinstance(h, str) and h.lstrip("^") for h in hints):
        return (), ()
    anywhere = tuple(h.lower() for h in hints if not h.startswith("^"))
    starts = tuple(h[1:].lower() for h in hints if h.startswith("^"))
    return anywhere, starts


class _SourceScanner:
    """State for one source: current device, current block, pending facts."""

    def __init__(self, source: str, stats: ScanStats, parsers: tuple[Parser, ...]) -> None:
        self.source = source
        self.stats = stats
        self.parsers = parsers
        # (parser, substrings, starts, quick): a parser may declare ``hints``, substrings one of
        # which every line it ``accepts`` holds (case-insensitively; "^x": at the line's start);
        # lines without any are not offered to it.  ``quick``: its optional one-line path.
        self.dispatch = tuple((p, *_hints(p), getattr(p, "quick", None)) for p in parsers)
        self.redact = _Redactor()
        self.log_dispatch = tuple(d for d in self.dispatch if getattr(d[0], "log_like", False))
        self.device: str | None = None
        self.known: set[str] = set()
        self.block: Block | None = None
        self.block_owned = False  # inside a command block that no parser owns
        self.command = ""
        self.out: list[Fact] = []
        self.emit = self.out.append
        self._last_ctx: Context | None = None

    # -- block management -------------------------------------------------------------------
    def _close(self) -> None:
        if self.block is not None:
            self.block.close()
            self.block = None

    def _ctx(self, prompt: Line | None = None) -> Context:
        if prompt is not None:
            return Context(self.source, self.device, self.command, self.emit, prompt)
        # parsers only read their context: one per device and command serves every block
        ctx = self._last_ctx
        if ctx is None or ctx.device != self.device or ctx.command != self.command:
            ctx = self._last_ctx = Context(self.source, self.device, self.command, self.emit)
        return ctx

    def _start_command(self, command: str, prompt: Line | None = None) -> None:
        self.command = command = redact(command)  # "[FW1-ike-peer-x]pre-shared-key ..." too
        self.block_owned = False
        toks = command_tokens(command)
        if not toks:
            return
        for parser in self.parsers:
            for full in parser.commands:
                if command_matches(toks, full):
                    self.block = parser.start(self._ctx(prompt))
                    return
        self.block_owned = True

    # -- one line -----------------------------------------------------------------------------
    def line(self, raw: bytes, lineno: int) -> None:
        """Handle one raw line (no newline).  Redaction happens only for lines a parser takes."""
        if len(raw) > MAX_LINE:
            raw = raw[:MAX_LINE]
        text = clean_bytes(raw)
        block = self.block
        if not text:
            if block is not None and not block.feed(Line(self.source, lineno, "")):
                self._close()
            return
        head = text[0]
        if head.isspace():
            head = text.lstrip()[:1]
        if head == "<" or head == "[" or ">" in text or "#" in text:
            prompt = parse_prompt(text, self.known)
            if prompt is not None:
                self._close()
                self.device = prompt.device
                if len(self.known) < 1024:
                    self.known.add(prompt.device)
                if prompt.command:
                    self._start_command(prompt.command, Line(self.source, lineno, redact(text)))
                else:
                    self._start_command("")
                return
        ev: Line | None = None
        if block is not None:
            ends = getattr(block, "ends_before", None)
            if ends is not None and ends(text):
                self._close()  # what feed would do, without redacting the line for it
            else:
                ev = Line(self.source, lineno, self.redact(text))
                if block.feed(ev):
                    if getattr(block, "ended", False) is True:
                        self._close()
                    return
                self._close()
        if _IPSEC_TAG.search(raw, 0, _TAG_HEAD) is not None:
            dispatch = self.log_dispatch  # an IKE/IPsec log message: no table takes it
            if ev is None:
                ev = Line(self.source, lineno, self.redact(text))
        elif foreign(raw, 0, len(raw)):
            return  # another module's message (see ``candidates.foreign``)
        elif self.block_owned:
            dispatch = self.log_dispatch
        else:
            dispatch = self.dispatch
        low: str | None = None
        for parser, hints, starts, quick in dispatch:
            if hints or starts:
                if low is None:
                    low = text.lower()
                for h in hints:
                    if h in low:
                        break
                else:
                    if not (starts and low.lstrip().startswith(starts)):
                        continue
            if quick is not None and ev is not None and quick(ev, self._ctx()):
                return
            if parser.accepts(text):
                if ev is None:
                    ev = Line(self.source, lineno, redact(text))
                block = self.block = parser.start(self._ctx())
                if block.feed(ev):
                    if getattr(block, "ended", False) is True:
                        self._close()
                    return
                self._close()
        if (
            self.stats.unparsed < MAX_UNPARSED
            and ("IKE" in text or "IPSEC" in text)
            and any(t in text for t in _LOG_TAGS)
        ):
            self.stats.unparsed += 1
            if ev is None:
                ev = Line(self.source, lineno, redact(text))
            self.emit(Unparsed(family="log", ev=ev, device=self.device))

    def finish(self) -> None:
        self._close()


# -- chunks to lines ----------------------------------------------------------------------------


def _line_ending(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Pass ``chunks`` through (split as they come); a source whose first ``MAX_LINE`` bytes hold
    CR but no LF (old Mac line ends) gets every CR turned into LF."""
    it = iter(chunks)
    head: list[bytes] = []
    probe = b""
    for chunk in it:
        if chunk:
            head.append(chunk)
            probe += chunk[: MAX_LINE - len(probe)]
            if len(probe) >= MAX_LINE:
                break
    if b"\n" not in probe and b"\r" in probe:
        for chunk in head:
            yield chunk.replace(b"\r", b"\n")
        for chunk in it:
            yield chunk.replace(b"\r", b"\n")
        return
    yield from head
    yield from it


def scan_chunks(
    chunks: Iterable[bytes],
    source: str,
    *,
    mode: str = "full",
    stats: ScanStats | None = None,
    parsers: tuple[Parser, ...] | None = None,
) -> Iterator[Fact]:
    """Yield facts from one source given as byte chunks (any split; lines may span chunks).

    ``mode="capture"`` (a pcap/pcapng file, see ``reader.open_source``): the chunks go to the
    capture decoder instead; ``stats.lines`` then counts frames."""
    stats = stats if stats is not None else ScanStats()
    stats.sources.append(source)
    stopped: list[str] = []  # why a compressed input ended early (``compressed.StreamError``)
    chunks = _until_damaged(chunks, stopped)
    if mode == "capture":
        yield from _scan_capture(chunks, source, stats)
        yield from _stopped(source, stats.lines, stopped)
        return
    sc = _SourceScanner(source, stats, parsers if parsers is not None else registry())
    scan = _scan_fast if mode == "fast" else _scan_full
    lineno = 0  # lines completed so far
    carry = b""  # the start of an unfinished line (at most MAX_LINE bytes)
    long_line = False  # the unfinished line is longer than MAX_LINE: skip to its end
    for chunk in _line_ending(chunks):
        stats.bytes += len(chunk)
        start = 0
        if carry or long_line:
            nl = chunk.find(b"\n")
            if nl == -1:
                if not long_line:
                    carry += chunk
                    if len(carry) > MAX_LINE:
                        carry = carry[:MAX_LINE]
                        long_line = True
                continue
            if not long_line:
                carry += chunk[: min(nl, MAX_LINE + 1 - len(carry))]
            lineno = scan(sc, carry[:MAX_LINE] + b"\n", 0, None, lineno)
            carry, long_line, start = b"", False, nl + 1
        cut = chunk.rfind(b"\n")
        if cut >= start:
            lineno = scan(sc, chunk, start, cut + 1, lineno)
            start = cut + 1
        if start < len(chunk):
            carry = chunk[start : start + MAX_LINE + 1]
            if len(carry) > MAX_LINE:
                carry = carry[:MAX_LINE]
                long_line = True
        if sc.out:
            yield from sc.out
            sc.out.clear()
    if carry or long_line:
        lineno = scan(sc, carry + b"\n", 0, None, lineno)
    sc.finish()
    stats.lines += lineno
    if sc.out:
        yield from sc.out
        sc.out.clear()
    yield from _stopped(source, lineno, stopped)


def _until_damaged(chunks: Iterable[bytes], stopped: list[str]) -> Iterator[bytes]:
    """``chunks`` up to a ``StreamError`` (a damaged compressed input), whose message is kept."""
    try:
        yield from chunks
    except StreamError as exc:
        stopped.append(str(exc))


def _stopped(source: str, line: int, stopped: list[str]) -> Iterator[Fact]:
    """The note that a damaged compressed input was read only up to ``line`` (lines or frames)."""
    for why in stopped:
        yield Unparsed(family="input", ev=Line(source, max(line, 1), f"read stopped: {why}"))


def _scan_capture(chunks: Iterable[bytes], source: str, stats: ScanStats) -> Iterator[Fact]:
    from ..capture.facts import capture_facts
    from ..capture.read import ReadStats

    def counted() -> Iterator[bytes]:
        for chunk in chunks:
            stats.bytes += len(chunk)
            yield chunk

    read = ReadStats()
    try:
        yield from capture_facts(counted(), source, read)
    finally:
        stats.lines += read.frames


def _scan_full(sc: _SourceScanner, buf: bytes, pos: int, end: int | None, lineno: int) -> int:
    """Offer every line of ``buf[pos:end]`` (whole lines) to ``sc``; return the line count."""
    if end is None:
        end = len(buf)
    find = buf.find
    line = sc.line
    first = lineno
    while pos < end:
        nl = find(b"\n", pos, end)
        lineno += 1
        line(buf[pos:nl], lineno)
        pos = nl + 1
    sc.stats.offered += lineno - first
    return lineno


def _scan_fast(sc: _SourceScanner, buf: bytes, pos: int, end: int | None, lineno: int) -> int:
    """Like ``_scan_full`` but only candidate lines (and open blocks) reach Python."""
    if end is None:
        end = len(buf)
    cands = candidates.find(buf, pos, end)
    ncand = len(cands)
    ci = 0
    find, rfind, count = buf.find, buf.rfind, buf.count
    line = sc.line
    offered = 0
    while pos < end:
        if sc.block is not None:
            nl = find(b"\n", pos, end)
            lineno += 1
            offered += 1
            line(buf[pos:nl], lineno)
            pos = nl + 1
            continue
        while ci < ncand and cands[ci] < pos:
            ci += 1
        if ci == ncand:
            lineno += count(b"\n", pos, end)
            break
        hit = cands[ci]
        start = rfind(b"\n", pos, hit) + 1 or pos
        if start > pos:
            lineno += count(b"\n", pos, start)
        nl = find(b"\n", hit, end)
        lineno += 1
        offered += 1
        line(buf[start:nl], lineno)
        pos = nl + 1
    sc.stats.offered += offered
    return lineno


def scan_text(text: str, source: str = "<paste>", *, mode: str = "full") -> list[Fact]:
    """Convenience for tests and library users: all facts of one text."""
    return list(scan_chunks([text.encode("utf-8", "surrogatepass")], source, mode=mode))
