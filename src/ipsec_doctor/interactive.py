"""``diagnose --interactive``: ask for the next output, one at a time, and narrow down.

The loop is a thin front end over the engine: it keeps every paste as its own source
(``paste-1``, ``paste-2``, ...), re-diagnoses everything after each paste, prints the short
picture (where in the fault tree, the leading causes) and asks for the first "collect next"
command that has not been answered yet.  Reading and writing are injected, so tests drive it
with lists of strings and a real terminal drives it with stdin (paste, then Ctrl-D).
"""

from __future__ import annotations

from collections.abc import Callable

from .diagnose.aggregate import Aggregate
from .diagnose.engine import aggregate, diagnose
from .ingest.scan import ScanStats, scan_chunks
from .kb import load
from .model import Report
from .redact import redact

MAX_ROUNDS = 12
_TEXT = {
    "en": {
        "ask": "Next: run `{cmd}`{on} and paste its output, then Ctrl-D (empty input stops).",
        "why": "  why: {why}",
        "on": " on {dev}",
        "done": "No further output is needed: the leading cause is clear.",
        "nothing": "Nothing more to ask. Stopping.",
        "lead": "Leading cause: {title} [{cause}] confidence {conf:.2f}{where}",
        "none": "No fault identified yet.",
        "stage": "Fault tree: {who} at '{title}'",
    },
    "zh": {
        "ask": "下一步：执行 `{cmd}`{on}，粘贴输出后按Ctrl-D（空输入结束）。",
        "why": "  原因：{why}",
        "on": "（在{dev}上）",
        "done": "无需更多信息：最可能的原因已经明确。",
        "nothing": "没有更多需要收集的信息，结束。",
        "lead": "最可能的原因：{title} [{cause}] 置信度 {conf:.2f}{where}",
        "none": "尚未确定故障原因。",
        "stage": "故障树位置：{who} 处于“{title}”",
    },
}


def _diagnose_all(pastes: list[tuple[str, str]], lang: str) -> Report:
    kb = load()
    stats = ScanStats()
    agg = None
    for name, text in pastes:
        part = aggregate(scan_chunks([text.encode("utf-8", "replace")], name, stats=stats), kb)
        agg = part if agg is None else agg.merge(part)
    report = diagnose(agg or Aggregate(), lang=lang, sources=[n for n, _ in pastes])
    report.lines_read = stats.lines
    return report


def _summary(report: Report, t: dict[str, str]) -> list[str]:
    out = []
    for pos in report.tree:
        who = (pos.device or "?") + (f" ↔ {pos.peer}" if pos.peer else "")
        out.append(t["stage"].format(who=who, title=pos.title))
    faults = [f for f in report.findings if not f.normal]
    if not faults:
        out.append(t["none"])
    for f in faults[:3]:
        where = f" ({f.device or '?'} ↔ {f.peer})" if f.peer else ""
        out.append(
            t["lead"].format(title=f.title, cause=f.cause, conf=f.confidence, where=where)
        )
    return out


def run(
    read: Callable[[], str],
    write: Callable[[str], None],
    initial: list[tuple[str, str]] | None = None,
    lang: str = "en",
    confident: float = 0.8,
) -> Report:
    """Loop until the leading cause is confident, nothing is left to ask, or input is empty."""
    t = _TEXT["zh" if lang == "zh" else "en"]
    pastes = list(initial or [])
    asked: set[tuple[str | None, str]] = set()
    report = _diagnose_all(pastes, lang)
    for _ in range(MAX_ROUNDS):
        for line in _summary(report, t):
            write(redact(line))
        faults = [f for f in report.findings if not f.normal]
        if faults and faults[0].confidence >= confident:
            write(t["done"])
            return report
        step = next((n for n in report.next if (n.device, n.command) not in asked), None)
        if step is None:
            write(t["nothing"])
            return report
        asked.add((step.device, step.command))
        on = t["on"].format(dev=step.device) if step.device else ""
        write(t["ask"].format(cmd=step.command, on=on))
        write(t["why"].format(why=step.why))
        text = read()
        if not text.strip():
            return report
        if step.device and not text.lstrip().startswith(("<", "[")):
            # a bare paste belongs to the device we asked about
            text = f"<{step.device}>{step.command}\n{text}"
        pastes.append((f"paste-{len(pastes) + 1}", text))
        report = _diagnose_all(pastes, lang)
    return report
