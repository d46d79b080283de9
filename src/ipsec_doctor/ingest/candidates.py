"""Fast mode's line filter: which lines of a large input Python has to look at.

A line is a *candidate* when it holds a keyword (``KEYWORD_SPELLINGS``; not a lower-case "ike"
glued to a preceding letter, as in "like" or "Mike") and is not another module's message
(``foreign``), when it holds the tag of a Cisco VPN message whose text may name no keyword
(``%CRYPTO-4-PKT_REPLAY_ERR``, ``%ASA-5-713904``, ``%HW_VPN-1-HPRXERR``: ``_CISCO_TAG``), or
when it may be a CLI prompt or carries terminal debris that cleaning could turn into one (see
``ingest/scan.py`` for why exactly these lines).  ``find(buf, pos, end)``
returns positions inside the candidate lines of ``buf[pos:end]`` (whole lines, ending with a
newline); a line may be listed more than once; every position lies in its line (its newline
included).

Two interchangeable finders, chosen once per process (``IPSEC_DOCTOR_MATCHER=re|hyperscan``
forces one):

* ``find_hyperscan``: one pass of Hyperscan's SIMD multi-pattern matcher over the bytes (keyword
  lines, reported once each at their newline; Cisco tags; possible prompts; debris), then the
  foreign-module check in Python for the keyword lines.  About 0.05 s per 100 MB here, 4 times
  less than the ``re`` passes it replaces.  Used when the ``hyperscan`` package imports.
* ``find_re``: the portable one, two keyword passes, a Cisco tag pass and a prompt pass with
  ``re`` (~0.2 s per 100 MB, most of it stopping at every "i", "I" and "%").

Both report every line the other does, except that Hyperscan's prompt patterns allow any number
of blanks before ``<``, ``[`` or a paging prompt, where ``re`` stops at 8 and 200 (Hyperscan
compiles long bounded repeats of multi-byte blanks slowly): an extra candidate only costs time,
facts never depend on the finder (``tests/test_candidates.py``).  Both are linear: Hyperscan
has no backtracking, and every ``re`` pattern here is bounded or anchored (see each one).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from typing import Any

MAX_LINE = 64 * 1024  # the scanner's line limit: longer lines are cut (``scan.py``)

# -- keywords ------------------------------------------------------------------------------------
# The spellings vendors print: lower case, and upper case or capitalised.  A freak mixed case
# such as "iKe" is seen in full mode only.  One alternation of literals keeps ``re``'s
# one-character prefix scan (~1.9 GB/s; a case-insensitive pattern or a character-set prefix is
# 5-10 times slower); lower-casing a chunk first would cost as much as the search itself.
KEYWORD_SPELLINGS = (b"ike", b"ipsec", b"isakmp", b"IKE", b"IPSEC", b"IPsec", b"IPSec", b"Ike",
                     b"Ipsec", b"ISAKMP", b"Isakmp")
# A lower-case "ike" glued to a preceding letter ("like", "bike", "strike", "Mike") is never an
# IPsec word: the look-behind (checked only after "ike" matched, so the prefix scan stays) skips
# it in C; it may look before the search start (which is a line start: it sees a newline).
# Each match runs on to the end of its line (``[^\n]*``: no backtracking, nothing after it), so
# ``finditer`` yields one match per line, the first keyword, and its span ends at the newline.
_KEYWORDS = (rb"ike(?<![A-Za-z]ike)|ipsec|isakmp", rb"I(?:KE|P(?:SEC|sec|Sec)|SAKMP|ke|psec|sakmp)")
_KEYWORD_LINES = tuple(re.compile(rb"(?:" + k + rb")[^\n]*").finditer for k in _KEYWORDS)

# -- messages of other modules -------------------------------------------------------------------
# Matched from the line's start: the line holds none of the upper-case words the log parsers key
# on (one look-ahead over the line), its first "%" (within 200 bytes: the run excludes "%" and
# LF, so a failed match backtracks at most 200 steps) opens ``%%01MODULE/5/``, and MODULE names
# neither IKE, IPsec nor ISAKMP.
_FOREIGN = re.compile(
    rb"(?![^\n]*I(?:KE|PS(?:EC|ec)|SAKMP))"
    rb"[^\n%]{0,200}%%[0-9]{2}"
    rb"(?![A-Za-z0-9_-]{0,31}?(?i:ike|ipsec|isakmp))"
    rb"[A-Za-z][A-Za-z0-9_-]{0,31}/[0-9]/"
)

# -- Cisco VPN message tags ---------------------------------------------------------------------
# The tags ``parsers/cisco/syslog.py`` reads whose facility is not a keyword: IOS crypto and
# crypto-hardware facilities at any severity, ASA/PIX/FWSM/FTD in the VPN message-id ranges
# (``_asa_ours`` there), each after its "%", or a facility run joined by "|" ("%PIX|ASA-4-...").
# Messages with IPSEC, ISAKMP or IKEV2 facilities hold a keyword already.  A tag printed without
# its "%" ("HW_VPN-1-HPRXERR:" quoted at the start of a console line) is read in full mode only:
# finding it anywhere would cost ``re`` ~0.04 s per 100 MB, and syslog files keep the "%".  The
# literal "%" prefix keeps ``re`` on its fast path (~0.05 s per 100 MB of Huawei log, which holds
# two "%" per line).
_CISCO_FACILITIES = rb"(?:CRYPTO(?:_ENGINE)?|CRPTO|HW_VPN|VPN_HW|C1700_EM|MOTCR|VPNSM)"
_ASA_FACILITIES = rb"(?:ASA|PIX|FWSM|FTD)"
_ASA_IDS = rb"(?:113019|60230[34]|402[0-9]{3}|702[0-9]{3}|71[345][0-9]{3}|75[012][0-9]{3})"
_CISCO_TAG_BODY = (
    rb"%(?:" + _CISCO_FACILITIES + rb"(?:-[0-9]-|\|)|" + _ASA_FACILITIES
    + rb"(?:-[0-9]-" + _ASA_IDS + rb"|\|))"
)
_CISCO_TAG = re.compile(_CISCO_TAG_BODY)

# -- prompts and debris --------------------------------------------------------------------------
# One character that is blank once ``clean_line`` has run (``\s`` in the prompt patterns, or a
# control character it turns into a space), as UTF-8 bytes.
_WS = (
    rb"(?:[\x00-\x09\x0b-\x20\x7f]|\xc2[\x80-\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
    rb"|\xe2\x81\x9f|\xe3\x80\x80)"
)
# A line that may start with a prompt: "<name>" (not a "<134>" priority) or "[name]", or a
# paging prompt at its start whose removal may leave one (after an optional byte-order mark).
# The literal "\n" prefix keeps ``re`` on its fast path and the look-ahead (the bytes the rest
# can start with) makes most newlines fail at once; the first line of a range is checked with
# the same pattern without the "\n".
_PROMPT_TAIL = (
    rb"(?:\xef\xbb\xbf)?(?:" + _WS + rb"{0,8}(?:<(?![0-9]{1,64}>)|\[)"
    rb"|" + _WS + rb"{0,200}-{2,4}" + _WS + rb"?[Mm][Oo][Rr][Ee])"
)
_PROMPT_LINE = re.compile(rb"\n(?=[\x00-\x09\x0b-\x20\x7f\xc2\xe1\xe2\xe3\xef<\[-])" + _PROMPT_TAIL)
_PROMPT_HEAD = re.compile(_PROMPT_TAIL)
# A bare prompt ("HUAWEI>", "R1#", "R1# show ...") ends its line or is followed by a command.
# Searched with ``re`` by both finders, and only where the mark occurs at all (syslog archives
# rarely hold one; Hyperscan would spend ~0.04 s per 100 MB on it even then).
_VERBS = rb"(?:dis|sh|debug|terminal|reset|ping|undo|sys)"
_BARE_RE = {
    mark: re.compile(
        re.escape(mark) + rb"(?:" + _WS + rb"{0,16}" + _VERBS + rb"|" + _WS + rb"{0,65536}\n)"
    )
    for mark in (b">", b"#")
}
# Cleaning removes ESC sequences and backspaced characters, which can join a keyword or leave a
# prompt at the start of a line (other control characters become spaces: see ``clean.py``).
_DEBRIS = (b"\x1b", b"\x08")


def foreign(buf: bytes, start: int, end: int) -> bool:
    """Is ``buf[start:end]`` (one line) a message of a module that is not IKE/IPsec?

    True for ``... %%01SHELL/5/CMDRECORD(s)[7]:... Command="display ike sa"``: a Huawei
    information-center message (its first ``%`` within 200 bytes opens ``%%NNMODULE/N/``) whose
    module names neither IKE, IPsec nor ISAKMP and whose first ``MAX_LINE`` bytes hold none of
    the upper-case words the log parsers key on (``IKE``, ``IPSEC``, ``IPSec``, ``ISAKMP``).
    Such a line is not offered to the parsers (in both modes), so its lower-case keywords (a
    command, a user name) cost the fast mode nothing.  A function of the raw bytes only.
    """
    return _FOREIGN.match(buf, start, min(end, start + MAX_LINE)) is not None


def _bare_prompts(buf: bytes, pos: int, end: int, add: Callable[[int], None]) -> None:
    for mark, rx in _BARE_RE.items():
        if buf.find(mark, pos, end) != -1:
            for m in rx.finditer(buf, pos, end):
                add(m.start())


def find_re(buf: bytes, pos: int, end: int) -> list[int]:
    """Candidate positions in ``buf[pos:end]`` (whole lines), found with ``re`` and ``bytes``."""
    out: list[int] = []
    add = out.append
    # keywords: one position per line (the search resumes after the line's end), lines of
    # foreign modules dropped; one pass per spelling family (a line may be listed twice)
    foreign_at = _FOREIGN.match
    rfind = buf.rfind
    lower, upper = _KEYWORD_LINES
    for m in lower(buf, pos, end):
        i, nl = m.span()
        start = rfind(b"\n", pos, i) + 1 or pos
        # ``foreign(buf, start, nl)``, inlined
        if foreign_at(buf, start, nl if nl - start <= MAX_LINE else start + MAX_LINE) is None:
            add(start)
    for m in upper(buf, pos, end):
        i, nl = m.span()
        start = rfind(b"\n", pos, i) + 1 or pos
        # "IKE", "IPSEC", "IPSec", "ISAKMP" (second letter "K" or "S", or "PS") within the first
        # MAX_LINE bytes: ``_FOREIGN``'s look-ahead fails, so the line is not foreign
        c = buf[i + 1]
        ours = (c == 75 or c == 83 or (c == 80 and buf[i + 2] == 83)) and i + 6 <= start + MAX_LINE
        bound = nl if nl - start <= MAX_LINE else start + MAX_LINE
        if ours or foreign_at(buf, start, bound) is None:
            add(start)
    if _PROMPT_HEAD.match(buf, pos, end):
        add(pos)
    for m in _PROMPT_LINE.finditer(buf, pos, end):
        add(m.start() + 1)
    _bare_prompts(buf, pos, end, add)
    for m in _CISCO_TAG.finditer(buf, pos, end):
        add(m.start())
    for byte in _DEBRIS:
        i = buf.find(byte, pos, end)
        while i != -1:
            add(i)
            i = buf.find(byte, buf.find(b"\n", i, end) + 1, end)
    i = buf.find(b"\r", pos, end)
    if i != -1 and buf.count(b"\r", i, end) != buf.count(b"\r\n", i, end):
        while i != -1:
            if buf[i + 1] != 10:  # a lone CR ("\r" + "\n" is a plain CRLF line end)
                add(i)
            i = buf.find(b"\r", i + 1, end)
    out.sort()
    return out


# -- Hyperscan -----------------------------------------------------------------------------------
# Pattern 0 reports each keyword line once, at its newline (Hyperscan reports a pattern once per
# end offset, however many keywords start the match); "ike" must follow a non-letter or start
# the line.  Pattern 1 is ``_PROMPT_TAIL`` at a line start with the "<134>" look-ahead written
# out ("<" then a non-digit, or 1-64 digits and neither a digit nor ">", or 65 digits) and
# unbounded blank runs.  Pattern 2 is debris: ESC, BS, a CR that is not followed by LF.  Pattern
# 3 is a Cisco VPN tag (``_CISCO_TAG``).
_HS_PATTERNS = (
    rb"(?:(?:^|[^A-Za-z])ike|ipsec|isakmp|I(?:KE|P(?:SEC|sec|Sec)|SAKMP|ke|psec|sakmp))[^\n]*\n",
    rb"^(?:\xef\xbb\xbf)?(?:" + _WS + rb"*(?:<(?:[^0-9]|[0-9]{1,64}[^0-9>]|[0-9]{65})|\[)"
    rb"|" + _WS + rb"*-{2,4}" + _WS + rb"?[Mm][Oo][Rr][Ee])",
    rb"[\x1b\x08]|\r[^\n]",
    _CISCO_TAG_BODY,
)
_HS_MAX = 1 << 30  # Hyperscan takes 32-bit lengths; larger ranges (library callers) use ``re``


class _Hyperscan:
    """The compiled database (~10 ms, once per process) and one scratch space per thread."""

    def __init__(self, hs: Any) -> None:
        self.db = hs.Database(mode=hs.HS_MODE_BLOCK)
        n = len(_HS_PATTERNS)
        self.db.compile(
            expressions=list(_HS_PATTERNS),
            ids=list(range(n)),
            elements=n,
            flags=[hs.HS_FLAG_MULTILINE] * n,
        )
        self.scratch_for = hs.Scratch
        self.local = threading.local()

    def scratch(self) -> Any:
        s = getattr(self.local, "scratch", None)
        if s is None:
            s = self.local.scratch = self.scratch_for(self.db)
        return s


_HS: _Hyperscan | None = None


def _on_match(pattern: int, _from: int, to: int, _flags: int, out: list[int]) -> None:
    # keyword lines as the offset of their newline + 1, the others negated
    out.append(to if pattern == 0 else -to)


def find_hyperscan(buf: bytes, pos: int, end: int) -> list[int]:
    """Candidate positions in ``buf[pos:end]`` (whole lines), found with one Hyperscan pass."""
    if _HS is None or end - pos >= _HS_MAX:
        return find_re(buf, pos, end)
    hits: list[int] = []
    _HS.db.scan(memoryview(buf)[pos:end], match_event_handler=_on_match, context=hits,
                scratch=_HS.scratch())
    out: list[int] = []
    add = out.append
    foreign_at = _FOREIGN.match
    rfind = buf.rfind
    for to in hits:
        if to > 0:  # a keyword line: its newline is at pos + to - 1
            nl = pos + to - 1
            start = rfind(b"\n", pos, nl) + 1 or pos
            if foreign_at(buf, start, nl if nl - start <= MAX_LINE else start + MAX_LINE) is None:
                add(start)
        else:  # a prompt, debris or a Cisco tag: the match's last byte is in its line
            add(pos - to - 1)
    _bare_prompts(buf, pos, end, add)
    out.sort()
    return out


# -- the choice ----------------------------------------------------------------------------------
FINDERS: dict[str, Callable[[bytes, int, int], list[int]]] = {
    "re": find_re,
    "hyperscan": find_hyperscan,
}
_chosen: Callable[[bytes, int, int], list[int]] | None = None
_lock = threading.Lock()


def load_hyperscan() -> bool:
    """Compile the Hyperscan database if the package imports; True when it is ready."""
    global _HS
    with _lock:
        if _HS is None:
            try:
                import hyperscan
            except ImportError:
                return False
            _HS = _Hyperscan(hyperscan)
    return True


def finder_name() -> str:
    """The finder this process uses: ``IPSEC_DOCTOR_MATCHER`` if set to one of ``FINDERS``,
    else "hyperscan" when the package imports, else "re"."""
    forced = os.environ.get("IPSEC_DOCTOR_MATCHER", "").strip().lower()
    if forced == "re":
        return "re"
    return "hyperscan" if load_hyperscan() else "re"


def find(buf: bytes, pos: int, end: int) -> list[int]:
    """Candidate positions in ``buf[pos:end]`` (whole lines), with the finder of
    ``finder_name`` (decided at the first call)."""
    global _chosen
    if _chosen is None:
        _chosen = FINDERS[finder_name()]
    return _chosen(buf, pos, end)
