"""Line cleaning: terminal debris that pasted CLI sessions carry.

Handles CR/CRLF, backspaces, ANSI escape sequences, tabs and Huawei/Cisco paging prompts
(``---- More ----``, `` --More-- ``) including the erase sequence Huawei prints after them
(``ESC[42D``, spaces, ``ESC[42D``) and Cisco's backspace erase.  A byte-order mark at the start of
a line is dropped; any other control character left over (bell, a stray ESC, C1 controls) becomes
a space, so cleaned text is safe to print on a terminal.

The fast scanner (``scan.py``) relies on two properties of this module: cleaning never joins
characters of a line that has no ESC, backspace, NUL or lone CR, and it never turns a line into a
prompt unless that line already starts with blanks (or control characters) and ``<`` or ``[``,
holds ``>``/``#``, or starts with a paging prompt.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b(?:\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|[@-Z\\-_])")
# Huawei "  ---- More ----", IOS " --More-- ", ASA "<--- More --->" (with the brackets)
_MORE = re.compile(r"[ \t]{0,200}<?-{2,4}[ \t]?More[ \t]?-{2,4}>?[ \t]{0,200}", re.IGNORECASE)
# C0 controls (tab included: it becomes one space too), DEL and C1 controls.
_CONTROLS = {c: " " for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_ASCII_CONTROLS = bytes([*range(0x20), 0x7F])


def _apply_backspaces(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch == "\b":
            if out:
                out.pop()
        else:
            out.append(ch)
    return "".join(out)


def clean_line(text: str) -> str:
    """Return the printable content of one raw line (no trailing newline)."""
    if "\r" in text:
        # "abc\rdef" on a terminal shows "def"; CRLF leaves a trailing \r only.
        text = text.rstrip("\r")
        if "\r" in text:
            text = text.rsplit("\r", 1)[1]
    if text[:1] == "\ufeff":
        text = text[1:]
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if "\b" in text:
        text = _apply_backspaces(text)
    if not text.isprintable():
        text = text.translate(_CONTROLS)
    if "More" in text or "more" in text or "MORE" in text:
        text = _MORE.sub("", text)
    return text.rstrip()


def clean_bytes(raw: bytes) -> str:
    """``clean_line`` of a raw line, with a fast path for the usual plain-ASCII line."""
    if raw.isascii() and len(raw.translate(None, _ASCII_CONTROLS)) == len(raw):
        text = raw.decode("ascii")
        if "More" in text or "more" in text or "MORE" in text:
            text = _MORE.sub("", text)
        return text.rstrip()
    return clean_line(raw.decode("utf-8", "replace"))
