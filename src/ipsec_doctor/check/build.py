"""From paired configurations to the ``ipsec-doctor/check/1`` report.

``build(devices)`` pairs the tunnel ends, runs the simulator on each pair (both directions) and
folds the two directions into the spec's single verdict per tunnel:

* every direction that can start must establish: a tunnel that only comes up when one particular
  side starts it is reported as failing (traffic from the other side cannot bring it up), with
  the failing direction as ``initiator``;
* when no side can start (two responder-only ends) nothing ever triggers IKE.

Findings get their title from the KB cause catalogue, their evidence from both sides' config
lines, and their fix from each vendor reader's ``render`` (either side's change fixes it).
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import reader_for_vendor
from ..config.model import Change, DeviceConfig, Identity, Tunnel
from ..model import Evidence, Finding, Line
from ..negotiate.result import Direction, Failure, PairResult
from .pairing import Pair, pair
from .report import (
    CheckReport,
    CheckWarning,
    DeviceSummary,
    DirectionReport,
    Skipped,
    TunnelReport,
)

_STAGE = {"ike": "ike-sa", "ipsec": "ipsec-sa", "traffic": "no-traffic"}
_WORDS = {
    "en": {
        "either": "Either on {dev} ({side}):",
        "or": "or on {dev} ({side}):",
        "on": "On {dev} ({side}):",
        "when": "When: {when}.",
        "render_failed": "(no {vendor} syntax for this change: {field} = {value})",
        "nobody": "Neither end can start the negotiation (both are responder-only).",
        "nobody_fix": "Make one end an initiator (a static peer / crypto map / start_action).",
        "verify": "After the change, start the tunnel from {dev} and confirm both SAs are up.",
        "next": "Fails next, once the IKE problems above are fixed ({stage} stage).",
    },
    "zh": {
        "either": "在 {dev}（{side}端）修改：",
        "or": "或在 {dev}（{side}端）修改：",
        "on": "在 {dev}（{side}端）：",
        "when": "发生时机：{when}。",
        "render_failed": "（{vendor} 无法表达此修改：{field} = {value}）",
        "nobody": "两端都只能作为响应方，没有一端会发起协商。",
        "nobody_fix": "让其中一端成为发起方（静态对端 / crypto map / start_action）。",
        "verify": "修改后从 {dev} 发起协商，确认IKE SA和IPSec SA都已建立。",
        "next": "修复上面的IKE问题后，接着会在{stage}阶段失败。",
    },
}

Simulator = Callable[[DeviceConfig, Tunnel, DeviceConfig, Tunnel], PairResult]


def _ev(lines: list[Line]) -> list[Evidence]:
    seen: set[tuple[str, int]] = set()
    out: list[Evidence] = []
    for ln in lines:
        if (ln.source, ln.line) not in seen:
            seen.add((ln.source, ln.line))
            out.append(Evidence(source=ln.source, line=ln.line, text=ln.text))
    return out


def _render(change: Change, p: Pair, w: dict[str, str]) -> list[str]:
    dev, tun = (p.a, p.ta) if change.side == "a" else (p.b, p.tb)
    try:
        lines = reader_for_vendor(dev.vendor).render(change, dev, tun)
    except (KeyError, ImportError, NotImplementedError, ValueError):
        lines = []
    if not lines:
        lines = [
            w["render_failed"].format(vendor=dev.vendor, field=change.field, value=change.value)
        ]
    return lines


def _fix(f: Failure, p: Pair, w: dict[str, str]) -> list[str]:
    out: list[str] = []
    sides = [s for s in ("a", "b") if any(c.side == s for c in f.changes)]
    for k, side in enumerate(sides):
        dev = p.a if side == "a" else p.b
        key = "on" if len(sides) == 1 else ("either" if k == 0 else "or")
        out.append(w[key].format(dev=dev.name, side=side))
        for c in f.changes:
            if c.side == side:
                out += ["  " + ln for ln in _render(c, p, w)]
    return out


def _finding(
    f: Failure, p: Pair, kb, lang: str, initiator: str, later: bool = False
) -> Finding:
    w = _WORDS["zh" if lang == "zh" else "en"]
    cause = kb.causes.get(f.cause)
    title = cause.title.get(lang) if cause else f.cause
    steps = [w["next"].format(stage=f.stage)] if later else []
    steps.append(f.detail)
    if f.when:
        steps.append(w["when"].format(when=f.when))
    start = p.a if initiator == "a" else p.b
    steps.append(w["verify"].format(dev=start.name))
    signals: list[str] = []
    for side in ("a", "b"):
        for m in f.messages.get(side, []):
            if m not in signals:
                signals.append(m)
    return Finding(
        cause=f.cause,
        title=title,
        confidence=round(max(0.0, min(1.0, f.confidence * (0.8 if later else 1.0))), 2),
        signals=signals,
        evidence=_ev(f.lines_a + f.lines_b),
        steps=steps,
        fix=_fix(f, p, w),
        device=p.a.name,
        peer=p.b.name,
        summary=f.detail,
        stage=_STAGE.get(f.stage),
        details=[f.detail],
    )


def _label(d: DeviceConfig, t: Tunnel) -> str:
    return f"{d.name} {t.name}"


def _value(v: object) -> str:
    if isinstance(v, tuple | list):
        return ",".join(_value(x) for x in v) or "-"
    if v is None:
        return "-"
    if isinstance(v, Identity):
        return f"{v.type}:{v.value}" if v.value else v.type
    return str(v).lower() if isinstance(v, bool) else str(v)


def _defaults(d: DeviceConfig, t: Tunnel) -> list[str]:
    """The values the configuration left silent, as ``where.field = value``."""
    out = [f"{x} = {_value(getattr(t, x, None))}" for x in t.defaults]
    for kind, props in (("ike proposal", t.ike_proposals), ("ipsec proposal", t.child_proposals)):
        for pr in props:
            out += [f"{kind} {pr.name}: {x} = {_value(getattr(pr, x, None))}" for x in pr.defaults]
    return out


def _pick(dirs: list[Direction]) -> tuple[str, str | None, str | None, Direction | None]:
    """outcome, stage, initiator and the direction whose failures are reported."""
    started = [d for d in dirs if d.outcome != "not-initiated"]
    failing = [d for d in started if d.outcome == "fails"]
    if failing:
        d = failing[0]
        return "fails", d.stage, d.initiator, d
    if started:
        return "established", None, started[0].initiator, None
    return "fails", "ike", None, None


def tunnel_report(p: Pair, res: PairResult, kb, lang: str = "en") -> TunnelReport:
    outcome, stage, initiator, worst = _pick(res.directions)
    findings: list[Finding] = []
    messages: dict[str, list[str]] = {"a": [], "b": []}
    if worst is not None:
        for f in worst.failures:
            findings.append(_finding(f, p, kb, lang, worst.initiator))
            for side in ("a", "b"):
                for m in f.messages.get(side, []):
                    if m not in messages[side]:
                        messages[side].append(m)
        have = {f.cause for f in worst.failures}
        for f in worst.later:  # what fails next once the blocking stage is fixed
            if f.cause not in have:
                have.add(f.cause)
                findings.append(_finding(f, p, kb, lang, worst.initiator, later=True))
        for d in res.directions:  # what only the other direction shows, after
            if d is worst:
                continue
            for f in d.failures:
                if f.cause not in have:
                    have.add(f.cause)
                    findings.append(_finding(f, p, kb, lang, d.initiator))
            for f in d.later:
                if f.cause not in have:
                    have.add(f.cause)
                    findings.append(_finding(f, p, kb, lang, d.initiator, later=True))
    elif outcome == "fails":  # nobody initiates
        w = _WORDS["zh" if lang == "zh" else "en"]
        cause = kb.causes.get("ike-not-triggered")
        ev = [x for x in (p.ta.ev, p.tb.ev) if x is not None]
        findings.append(
            Finding(
                cause="ike-not-triggered",
                title=cause.title.get(lang) if cause else "ike-not-triggered",
                confidence=0.9,
                signals=[],
                evidence=_ev(ev),
                steps=[w["nobody"]],
                fix=[w["nobody_fix"]],
                device=p.a.name,
                peer=p.b.name,
                stage="no-ike",
            )
        )
    return TunnelReport(
        a=_label(p.a, p.ta),
        b=_label(p.b, p.tb),
        outcome=outcome,
        stage=stage,
        initiator=initiator,
        findings=findings,
        predicted_messages=messages,
        warnings=[
            CheckWarning(code=x.code, detail=x.detail, side=x.side, evidence=_ev(x.lines))
            for x in res.warnings
        ],
        a_device=p.a.name,
        b_device=p.b.name,
        a_source=p.a.source,
        b_source=p.b.source,
        a_tunnel=p.ta.name,
        b_tunnel=p.tb.name,
        a_vendor=p.a.vendor,
        b_vendor=p.b.vendor,
        nat_between=res.nat_between,
        directions=[
            DirectionReport(
                initiator=d.initiator,
                outcome=d.outcome,
                stage=d.stage,
                version=d.version,
                causes=[f.cause for f in d.failures],
                chosen=dict(d.chosen),
                trace=list(d.trace),
            )
            for d in res.directions
        ],
        defaults={"a": _defaults(p.a, p.ta), "b": _defaults(p.b, p.tb)},
    )


def build(
    devices: list[DeviceConfig],
    skipped: list[Skipped] | None = None,
    *,
    lang: str = "en",
    simulate: Simulator | None = None,
) -> CheckReport:
    """The whole check report for the given devices (pure: no I/O)."""
    from ..kb import load

    if simulate is None:
        from ..negotiate import check_pair as simulate
    kb = load()
    pairs, unpaired = pair(devices)
    tunnels = [tunnel_report(p, simulate(p.a, p.ta, p.b, p.tb), kb, lang) for p in pairs]
    return CheckReport(
        tunnels=tunnels,
        unpaired=unpaired,
        devices=[
            DeviceSummary(
                name=d.name, vendor=d.vendor, source=d.source, tunnels=len(d.tunnels),
                platform=d.platform,
            )
            for d in devices
        ],
        skipped=list(skipped or []),
        lang=lang,
    )
