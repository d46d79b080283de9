"""Line cleaning: terminal debris that pasted CLI sessions carry.

Handles CR/CRLF, backspaces, ANSI escape sequences, tabs and Huawei/Cisco paging prompts
(``---- More ----``, `` --More-- ``) including the erase sequence Huawei prints after them.
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b(?:\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|[@-Z\\-_])")
_MORE = re.compile(r"[ \t]{0,200}-{2,4}[ \t]?More[ \t]?-{2,4}[ \t]{0,200}", re.IGNORECASE)


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
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if "\b" in text:
        text = _apply_backspaces(text)
    if "More" in text or "more" in text or "MORE" in text:
        text = _MORE.sub("", text)
    if "\t" in text:
        text = text.replace("\t", " ")
    return text.rstrip()
