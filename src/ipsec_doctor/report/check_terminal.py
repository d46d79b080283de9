"""Terminal rendering of a ``check`` report: one table of all tunnels (fleet view), then per
tunnel the verdict per direction, the ranked findings with both sides' config lines, what each
side will log, the fixes in each vendor's syntax, warnings and the defaults assumed."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..check.report import CheckReport, TunnelReport
from .terminal import console

_L = {
    "en": {
        "title": "ipsec-doctor check",
        "devices": "devices", "tunnels": "tunnels",
        "tunnel": "tunnel", "outcome": "outcome", "stage": "stage",
        "initiator": "initiator", "cause": "cause",
        "established": "established", "fails": "FAILS", "not-initiated": "does not start",
        "when": "when {dev} starts", "logs": "What each side will log",
        "evidence": "Configuration lines", "fix": "Fix", "steps": "Why",
        "warnings": "Warnings (do not break the tunnel)",
        "defaults": "Defaults assumed (not in the configuration)",
        "unpaired": "Tunnel ends without a peer configuration among the inputs",
        "skipped": "Files skipped", "none": "No tunnel could be paired.",
        "nat": "a NAT device is assumed between the peers",
        "conf": "confidence", "via": "IKEv{v}",
    },
    "zh": {
        "title": "ipsec-doctor 配置检查",
        "devices": "台设备", "tunnels": "条隧道",
        "tunnel": "隧道", "outcome": "结果", "stage": "阶段",
        "initiator": "发起方", "cause": "原因",
        "established": "可建立", "fails": "失败", "not-initiated": "不发起",
        "when": "由 {dev} 发起时", "logs": "两端将记录的日志",
        "evidence": "配置行", "fix": "修复", "steps": "说明",
        "warnings": "警告（不影响隧道建立）",
        "defaults": "采用的缺省值（配置中未写）",
        "unpaired": "输入中找不到对端配置的隧道",
        "skipped": "跳过的文件", "none": "没有可配对的隧道。",
        "nat": "推断两端之间存在NAT设备",
        "conf": "置信度", "via": "IKEv{v}",
    },
}


def _side(t: TunnelReport, side: str | None) -> str:
    if side == "a":
        return t.a_device
    if side == "b":
        return t.b_device
    return "-"


def _table(r: CheckReport, L: dict[str, str]) -> Table:
    tab = Table(show_lines=False, expand=False)
    for col in ("#", "a", "b", L["outcome"], L["stage"], L["initiator"], L["cause"]):
        tab.add_column(col, overflow="fold")
    for i, t in enumerate(r.tunnels, 1):
        ok = t.outcome == "established"
        tab.add_row(
            str(i),
            escape(t.a),
            escape(t.b),
            Text(L[t.outcome], style="green" if ok else "bold red"),
            t.stage or "-",
            _side(t, t.initiator),
            t.findings[0].cause if t.findings else "-",
        )
    return tab


def _tunnel(i: int, t: TunnelReport, L: dict[str, str]) -> Panel:
    parts: list = []
    head = Text()
    head.append(f"{t.a}", style="bold")
    head.append(f"  ({t.a_vendor}, {t.a_source})", style="dim")
    head.append("  ↔  ")
    head.append(f"{t.b}", style="bold")
    head.append(f"  ({t.b_vendor}, {t.b_source})", style="dim")
    parts.append(head)
    if t.nat_between:
        parts.append(Text(L["nat"], style="yellow"))
    for d in t.directions:
        dev = _side(t, d.initiator)
        line = Text(f"  {L['when'].format(dev=dev)}: ")
        ok = d.outcome == "established"
        line.append(L[d.outcome], style="green" if ok else "red")
        if d.stage:
            line.append(f" ({d.stage})")
        if d.version:
            line.append(f"  {L['via'].format(v=d.version)}", style="dim")
        if d.chosen:
            line.append("  " + ", ".join(f"{k}: {v}" for k, v in d.chosen.items()), style="dim")
        parts.append(line)
    for k, f in enumerate(t.findings):
        h = Text()
        h.append(f"{k + 1}. {f.title}", style="bold red" if k == 0 else "yellow")
        h.append(f"  [{f.cause}]  {L['conf']} {f.confidence:.2f}", style="dim")
        parts.append(h)
        parts += [Text(f"   {s}") for s in f.steps]
        if f.evidence:
            parts.append(Text(f"   {L['evidence']}", style="bold"))
            for e in f.evidence:
                tx = Text("     ")
                tx.append(f"{e.source}:{e.line}", style="cyan")
                tx.append("  " + " ".join(e.text.split()))
                parts.append(tx)
        if f.fix:
            parts.append(Text(f"   {L['fix']}", style="bold"))
            parts += [Text("     " + x) for x in f.fix]
    if any(t.predicted_messages.get(s) for s in ("a", "b")):
        parts.append(Text(f"  {L['logs']}", style="bold"))
        for s in ("a", "b"):
            for m in t.predicted_messages.get(s, []):
                parts.append(Text(f"     {_side(t, s)}: {m}"))
    if t.warnings:
        parts.append(Text(f"  {L['warnings']}", style="bold yellow"))
        for w in t.warnings:
            who = _side(t, w.side) if w.side else "a+b"
            parts.append(Text(f"     [{w.code}] {who}: {w.detail}"))
    defaults = [f"{_side(t, s)}: {d}" for s in ("a", "b") for d in t.defaults.get(s, [])]
    if defaults:
        parts.append(Text(f"  {L['defaults']}", style="dim"))
        parts.append(Text("     " + "; ".join(defaults), style="dim"))
    ok = t.outcome == "established"
    title = f"{i}. {L[t.outcome]}" + (f" ({t.stage})" if t.stage else "")
    return Panel(Group(*parts), title=title, title_align="left",
                 border_style="green" if ok else "red")


def render(r: CheckReport, width: int = 100, color: bool = False) -> str:
    L = _L["zh" if r.lang == "zh" else "en"]
    con = console(width, color)
    with con.capture() as cap:
        _body(con, r, L)
    return cap.get()


def _body(con: Console, r: CheckReport, L: dict[str, str]) -> None:
    con.print(Text(f"{L['title']}: {len(r.devices)} {L['devices']}, "
                   f"{len(r.tunnels)} {L['tunnels']}", style="bold"))
    if r.tunnels:
        con.print(_table(r, L))
        for i, t in enumerate(r.tunnels, 1):
            con.print(_tunnel(i, t, L))
    else:
        con.print(L["none"])
    if r.unpaired:
        con.print(Text(L["unpaired"], style="bold"))
        for u in r.unpaired:
            con.print(Text(f"  {u.device} {u.tunnel} ({u.source}): {u.why}"))
    if r.skipped:
        con.print(Text(L["skipped"], style="bold"))
        for s in r.skipped:
            con.print(Text(f"  {s.source}: {s.why}"))
