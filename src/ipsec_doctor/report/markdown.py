"""Markdown rendering (for tickets and chat): same content as the terminal report."""

from __future__ import annotations

from ..model import Report
from .labels import labels


def render(report: Report) -> str:
    L = labels(report.lang)
    out = [f"# {L['title']}", ""]
    if report.tree:
        out.append(f"**{L['tree']}**")
        out.append("")
        for pos in report.tree:
            who = pos.device or L["unknown_device"]
            if pos.peer:
                who += f" ↔ {pos.peer}"
            out.append(f"- {who}: {pos.title} (`{pos.stage}`)")
        out.append("")
    if not report.findings:
        out += [L["none"], ""]
    for f in report.findings:
        device = f.device or L["unknown_device"]
        where = f"{L['device']} {device} / {L['peer']} {f.peer or L['any_peer']}"
        out.append(f"## {f.title} (`{f.cause}`, {L['confidence']} {f.confidence:.2f})")
        out.append(f"*{where}* — {L['signals']}: " + ", ".join(f"`{s}`" for s in f.signals))
        out.append("")
        out += [f"- **{d}**" for d in f.details]
        if f.summary:
            out += [f.summary, ""]
        if f.evidence:
            out.append(f"**{L['evidence']}**")
            out.append("")
            out += [f"- `{e.source}:{e.line}` `{e.text}`" for e in f.evidence]
            out.append("")
        if f.steps:
            out.append(f"**{L['steps']}**")
            out.append("")
            out += [s for s in f.steps]
            out.append("")
        if f.fix:
            out.append(f"**{L['fix']}**")
            out.append("")
            for fx in f.fix:
                out += ["```", fx, "```"]
            out.append("")
    if report.next:
        out.append(f"## {L['next']}")
        out.append("")
        for n in report.next:
            where = f" ({L['where']} {n.device})" if n.device else ""
            out.append(f"1. `{n.command}`{where} — {n.why}")
        out.append("")
    if report.unknown:
        out.append(f"## {L['unknown']}")
        out += [f"- `{e.source}:{e.line}` `{e.text}`" for e in report.unknown]
    return "\n".join(out) + "\n"
