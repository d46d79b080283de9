"""Terminal rendering with rich: per device and peer, most likely cause first, then evidence
with line numbers, steps, fixes, and what to collect next."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..model import Finding, Report
from .labels import labels


def _bar(conf: float) -> str:
    n = round(conf * 10)
    return "█" * n + "░" * (10 - n)


def _finding(f: Finding, rank: int, L: dict[str, str], top: Finding | None = None) -> Group:
    """One finding; lower-ranked ones skip what they share with the top one."""
    parts = []
    style = "green" if f.normal else ("bold red" if rank == 0 else "yellow")
    head = Text()
    head.append(f"{rank + 1}. {f.title}", style=style)
    head.append(f"  [{f.cause}]", style="dim")
    head.append(f"  {L['confidence']} {f.confidence:.2f} {_bar(f.confidence)}")
    parts.append(head)
    meta = f"{L['signals']}: " + ", ".join(f.signals)
    if f.count:
        times = L["time"] if f.count == 1 else L["times"]
        meta += f"  ({L['seen']} {f.count} {times}"
        if f.first_seen:
            meta += f", {f.first_seen}"
            if f.last_seen and f.last_seen != f.first_seen:
                meta += f" .. {f.last_seen}"
        meta += ")"
    parts.append(Text(meta, style="dim"))
    if f.normal:
        parts.append(Text(L["normal"], style="green"))
    for d in f.details:
        parts.append(Text(f"• {d}", style="bold"))
    if f.summary and (top is None or f.summary != top.summary):
        parts.append(Text(f.summary))
    if f.evidence and (top is None or f.evidence != top.evidence):
        parts.append(Text(L["evidence"], style="bold"))
        for e in f.evidence:
            t = Text("  ")
            t.append(f"{e.source}:{e.line}", style="cyan")
            t.append("  " + " ".join(e.text.split()))
            parts.append(t)
    if f.steps and rank == 0:
        parts.append(Text(L["steps"], style="bold"))
        parts.extend(Text("  " + s) for s in f.steps)
    if f.fix and not f.normal:
        parts.append(Text(L["fix"], style="bold"))
        for i, fx in enumerate(f.fix):
            if i:
                parts.append(Text("    ·", style="dim"))
            parts.append(Text("\n".join("    " + ln for ln in fx.splitlines()), style="magenta"))
    parts.append(Text(""))
    return Group(*parts)


_ROOTS = {
    "tunnel-down": ("no-ike", "ike-sa", "ipsec-sa", "one-sided"),
    "service-abnormal": ("no-traffic", "poor-quality", "unstable"),
}


def _tree_view(report: Report, L: dict[str, str]) -> Tree | None:
    """The fault trees with a marker on the stage where the evidence puts each device."""
    if not report.tree:
        return None
    from ..kb import load

    nodes = load().trees.get("huawei", {})
    lang = report.lang
    here: dict[str, list[str]] = {}
    for pos in report.tree:
        who = pos.device or L["unknown_device"]
        if pos.peer:
            who += f" ↔ {pos.peer}"
        here.setdefault(pos.stage, []).append(who)
    top = Tree(Text(L["tree"], style="bold"))
    for root, stages in _ROOTS.items():
        rnode = nodes.get(root)
        branch = top.add(rnode.title.get(lang) if rnode else root)
        for st in stages:
            node = nodes.get(st)
            label = Text(node.title.get(lang) if node else st)
            if st in here:
                label.stylize("bold red")
                label.append(f"  ◀ {L['you_are_here']}: " + ", ".join(here[st]), style="bold")
            else:
                label.stylize("dim")
            branch.add(label)
    return top


def console(width: int | None, color: bool) -> Console:
    """The console every terminal report prints to (captured into a string by the caller)."""
    return Console(
        record=True,
        width=width or 100,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=False,
    )


def render(report: Report, width: int | None = None, color: bool = False) -> str:
    L = labels(report.lang)
    con = console(width, color)
    with con.capture() as cap:
        con.print(Text(L["title"], style="bold"))
        tree = _tree_view(report, L)
        if tree is not None:
            con.print(tree)
        if not report.findings:
            con.print(L["none"])
        key = lambda f: (f.device or "", f.peer or "")  # noqa: E731
        ordered = sorted(
            report.findings,
            key=lambda f: (
                -max(x.confidence for x in report.findings if key(x) == key(f) and not x.normal)
                if any(key(x) == key(f) and not x.normal for x in report.findings)
                else 0,
                key(f),
            ),
        )
        for (device, peer), group in groupby(ordered, key=key):
            items = sorted(group, key=lambda f: (f.normal, -f.confidence))
            title = (
                f"{L['device']} {device or L['unknown_device']}  ↔  "
                f"{L['peer']} {peer or L['any_peer']}"
            )
            body = Group(
                *(_finding(f, i, L, items[0] if i else None) for i, f in enumerate(items))
            )
            con.print(Panel(body, title=escape(title), title_align="left"))
        if report.unknown:
            con.print(Text(L["unknown"], style="bold yellow"))
            for e in report.unknown:
                con.print(Text(f"  {e.source}:{e.line}  {e.text}"))
        if report.unparsed:
            con.print(Text(L["unparsed"], style="bold"))
            for e in report.unparsed[:10]:
                con.print(Text(f"  {e.source}:{e.line}  {e.text}"))
        if report.next:
            table = Table(title=L["next"], title_justify="left", show_lines=False)
            table.add_column("#", justify="right")
            table.add_column(L["where"])
            table.add_column("command", style="bold")
            table.add_column(L["why"])
            for i, n in enumerate(report.next, 1):
                table.add_row(str(i), n.device or "", n.command, n.why)
            con.print(table)
        con.print(Text(f"{L['lines']}: {report.lines_read}", style="dim"))
    return cap.get()
