"""The engine: facts in, ranked findings out.  Pure: no I/O, no printing.

Per device and peer, every known vendor reason adds its weighted root causes to a score;
signal combinations (``kb/combos.yaml``) add to or damp the scores where several messages mean
one thing; the scores become confidences; the best-supported knowledge-base entry of each cause
supplies the steps and fixes.  Normal events become ``expected-event`` findings, unknown
wordings are reported as unknown (never dropped).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..kb import KB, load
from ..kb.schema import Combo, Entry
from ..model import Evidence, Fact, Finding, NextStep, PeerSummary, Report, Signal, TreePosition
from .aggregate import Aggregate, GroupKey, Tally
from .explain import render_fix, render_steps
from .rules import Position, World
from .rules import run as run_rules
from .tunnels import join_tunnels

MAX_FINDINGS_PER_PEER = 4
MIN_SHARE = 0.08
MAX_EVIDENCE = 8
def aggregate(facts: Iterable[Fact], kb: KB | None = None) -> Aggregate:
    """Fold facts into an ``Aggregate`` (mergeable across files or partitions)."""
    kb = kb or load()
    agg = Aggregate()
    for f in facts:
        agg.add(f, kb)
    return agg


def diagnose(
    facts: Iterable[Fact] | Aggregate, *, lang: str = "en", sources: list[str] | None = None
) -> Report:
    """Rank root causes for every device and peer seen in ``facts``."""
    kb = load()
    agg = facts if isinstance(facts, Aggregate) else aggregate(facts, kb)
    agg.join_nat_aliases()
    agg.fold_peerless()
    positions: list[Position] = []
    # rules see the evidence only (not each other's conclusions): run them all, then add
    for out in list(run_rules(World(agg))):
        if isinstance(out, Signal):
            agg.add(out, kb)
        else:
            positions.append(out)
    agg.fold_peerless()
    join_tunnels(agg)  # both ends of one tunnel pasted: score them together
    report = Report(lang=lang, sources=list(sources or []))
    next_steps: dict[str, NextStep] = {}
    for (device, peer), tallies in sorted(agg.groups.items(), key=_group_order):
        report.peers.append(_summary(device, peer, tallies))
        report.findings.extend(_group_findings(kb, device, peer, tallies, lang, next_steps))
        for t in tallies.values():
            if t.entry_id is None:
                report.unknown.extend(_ev(line) for line in t.lines()[:2])
    report.findings.sort(key=lambda f: (f.normal, -f.confidence, -f.count))
    report.unparsed = [_ev(line) for line in agg.unparsed]
    report.tree = _tree(kb, report.findings, positions, lang)
    unknown_vendors = {
        t.vendor for ts in agg.groups.values() for t in ts.values() if t.entry_id is None
    }
    # the Huawei command only helps Huawei wordings (strongSwan/Libreswan: the tree's steps)
    if report.unknown and not unknown_vendors <= {"strongswan", "libreswan"}:
        _add_next(
            next_steps,
            "display ike error-info verbose",
            lang,
            (
                "the Detail field gives the finer reason for wordings not in the knowledge base",
                "Detail字段给出知识库未收录原因的更细分原因",
            ),
        )
    _tree_next(kb, report, next_steps, lang, _vendors(agg))
    report.next = list(next_steps.values())
    return report


def diagnose_text(text: str, *, source: str = "<paste>", lang: str = "en") -> Report:
    """Convenience: scan one pasted text and diagnose it."""
    from ..ingest.scan import scan_text

    return diagnose(scan_text(text, source), lang=lang, sources=[source])


# -- per group ------------------------------------------------------------------------------


def _group_order(item: tuple[GroupKey, dict[str, Tally]]):
    (device, peer), _ = item
    return (device or "", peer or "")


def _summary(device: str | None, peer: str | None, tallies: dict[str, Tally]) -> PeerSummary:
    firsts = [t.first for t in tallies.values() if t.first]
    lasts = [t.last for t in tallies.values() if t.last]
    return PeerSummary(
        device=device,
        peer=peer,
        signals={(t.wording or t.reason): t.count for t in tallies.values()},
        first_seen=min(firsts) if firsts else None,
        last_seen=max(lasts) if lasts else None,
    )


def _behind_nat(tallies: dict[str, Tally]) -> bool | None:
    """True when a port shows translation (not 500, or NAT-T's 4500); None when unknown."""
    ports = set().union(*(t.ports for t in tallies.values()))
    if ports - {500}:
        return True
    return None


def _combo_applies(c: Combo, present: set[str], nat: bool | None) -> bool:
    if not all(x in present for x in c.all):
        return False
    if c.any and not any(x in present for x in c.any):
        return False
    if c.nat is True and nat is not True:
        return False
    return not (c.nat is False and nat is True)


def _group_findings(
    kb: KB,
    device: str | None,
    peer: str | None,
    tallies: dict[str, Tally],
    lang: str,
    next_steps: dict[str, NextStep],
) -> list[Finding]:
    faults = {k: t for k, t in tallies.items() if t.entry_id and not kb.entries[k].normal}
    normals = {k: t for k, t in tallies.items() if t.entry_id and kb.entries[k].normal}
    out: list[Finding] = []
    if faults:
        out.extend(_fault_findings(kb, device, peer, faults, lang, next_steps))
    if normals:
        out.append(_normal_finding(kb, device, peer, normals, lang))
    return out


def _fault_findings(kb, device, peer, faults, lang, next_steps) -> list[Finding]:
    score: dict[str, float] = {}
    support: dict[str, list[tuple[float, Tally, Entry]]] = {}
    for key, t in faults.items():
        e = kb.entries[key]
        for ref in e.causes:
            s = ref.weight * (1.0 + 0.15 * math.log(t.count))
            score[ref.id] = score.get(ref.id, 0.0) + s
            support.setdefault(ref.id, []).append((ref.weight, t, e))
    present = set(faults)
    nat = _behind_nat(faults)
    combo_for: dict[str, Combo] = {}
    # the most specific combination explains first
    for c in sorted(kb.combos, key=lambda c: -len(c.all) - len(c.any)):
        if not _combo_applies(c, present, nat):
            continue
        for cause, add in c.boost.items():
            score[cause] = score.get(cause, 0.0) + add
            combo_for.setdefault(cause, c)
            if cause not in support:
                support[cause] = []
            for key in c.all + c.any:
                if key in faults:
                    t = faults[key]
                    if all(t is not s[1] for s in support[cause]):
                        # evidence for the finding; ranks last as a source of steps
                        support[cause].append((0.0, t, kb.entries[key]))
        for cause in c.suppress:
            if cause in score:
                score[cause] *= 0.25
    # weak evidence stays weak: a lone low-weight hint must not become a confident finding
    total = max(sum(score.values()), 1.0)
    ranked = sorted(score.items(), key=lambda kv: -kv[1])
    findings: list[Finding] = []
    for rank, (cause, sc) in enumerate(ranked):
        share = sc / total
        if rank >= MAX_FINDINGS_PER_PEER or (rank > 0 and share < MIN_SHARE):
            break
        sup = sorted(support.get(cause, []), key=lambda x: (-x[0], -x[1].count))
        distinct = len({id(t) for _, t, _ in sup})
        strength = 0.8 if distinct <= 1 else (0.9 if distinct == 2 else 0.95)
        if cause in combo_for:
            strength = max(strength, 0.9)
        conf = round(min(0.99, share**0.7 * strength), 2)
        best = sup[0][2] if sup else None
        combo = combo_for.get(cause)
        cat = kb.causes.get(cause)
        tallies = [t for _, t, _ in sup]
        summary = (
            combo.explanation.get(lang) if combo else (best.explanation.get(lang) if best else "")
        )
        findings.append(
            Finding(
                cause=cause,
                title=cat.title.get(lang) if cat else cause,
                confidence=conf,
                signals=_signal_names(tallies),
                evidence=_evidence(tallies),
                steps=render_steps(best, lang) if best else [],
                fix=[f for _, _, e in sup for f in render_fix(e, cause, lang)][:6],
                device=device,
                peer=peer,
                summary=summary,
                count=sum(t.count for t in tallies),
                first_seen=min((t.first for t in tallies if t.first), default=None),
                last_seen=max((t.last for t in tallies if t.last), default=None),
                stage=kb.stage_of(best) if best else None,
                details=sorted({d for t in tallies for d in t.details if d != "truncated"})[:6],
            )
        )
        # collect-next from the leading candidates while the picture is not clear-cut
        if rank == 0 or conf < 0.8:
            for _, _, e in sup[:2]:
                for col in e.collect:
                    command = col.command
                    if peer:  # the address is known: fill it in
                        command = command.replace("<peer-address>", peer)
                    _add_next(
                        next_steps, command, lang, (col.why.en, col.why.zh), device,
                        kb.stage_of(e),
                    )
    _dedupe_fixes(findings)
    return findings


def _dedupe_fixes(findings: list[Finding]) -> None:
    for f in findings:
        seen: set[str] = set()
        f.fix = [x for x in f.fix if not (x in seen or seen.add(x))]


def _normal_finding(kb, device, peer, normals: dict[str, Tally], lang) -> Finding:
    tallies = list(normals.values())
    best = kb.entries[max(normals, key=lambda k: normals[k].count)]
    cat = kb.causes["expected-event"]
    return Finding(
        cause="expected-event",
        title=cat.title.get(lang),
        confidence=0.9,
        signals=_signal_names(tallies),
        evidence=_evidence(tallies),
        steps=render_steps(best, lang),
        fix=[],
        device=device,
        peer=peer,
        summary=best.explanation.get(lang),
        count=sum(t.count for t in tallies),
        first_seen=min((t.first for t in tallies if t.first), default=None),
        last_seen=max((t.last for t in tallies if t.last), default=None),
        normal=True,
    )


def _signal_names(tallies: list[Tally]) -> list[str]:
    """The vendor wordings as printed (first occurrence), each once."""
    out: list[str] = []
    for t in tallies:
        name = t.wording or t.reason
        if name not in out:
            out.append(name)
    return out


def _ev(line) -> Evidence:
    return Evidence(source=line.source, line=line.line, text=line.text)


def _evidence(tallies: list[Tally]) -> list[Evidence]:
    """First line of every signal, then further lines, up to MAX_EVIDENCE, in file order."""
    picked: list = []
    seen: set[tuple[str, int]] = set()
    rounds = [t.lines() for t in tallies]
    depth = 0
    while len(picked) < MAX_EVIDENCE and any(depth < len(r) for r in rounds):
        for r in rounds:
            if depth < len(r) and len(picked) < MAX_EVIDENCE:
                key = (r[depth].source, r[depth].line)
                if key not in seen:
                    seen.add(key)
                    picked.append(r[depth])
        depth += 1
    picked.sort(key=lambda ln: (ln.source, ln.line))
    return [_ev(x) for x in picked]


def _add_next(
    acc: dict[str, NextStep],
    command: str,
    lang: str,
    why: tuple[str, str],
    device: str | None = None,
    stage: str | None = None,
) -> None:
    key = f"{device or ''}\x00{command}"
    if key not in acc and command not in acc:
        acc[key if device else command] = NextStep(
            command=command, why=why[1] if lang == "zh" else why[0], device=device, stage=stage
        )


# -- fault tree -----------------------------------------------------------------------------

CONFIDENT = 0.8


def _vendors(agg: Aggregate) -> dict[str | None, str]:
    """The vendor of each device, from the first fact that names it (Huawei when unknown)."""
    out: dict[str | None, str] = {}
    for s in agg.states:
        out.setdefault(s.device, s.vendor)
    for (device, _), tallies in agg.groups.items():
        for t in tallies.values():
            out.setdefault(device, t.vendor)
    return out


def _nodes(kb: KB, vendor: str | None) -> dict:
    return kb.trees.get(vendor or "huawei") or kb.trees.get("huawei", {})


def _tree(kb: KB, findings: list[Finding], positions: list[Position], lang: str) -> list:
    """One position per device/peer: a rule's verdict, else the stage of the top finding."""
    nodes = kb.trees.get("huawei", {})
    chosen: dict[tuple[str | None, str | None], tuple[str, Evidence | None]] = {}
    # a stage beats a root: the more precise rule wins
    def is_root(p: Position) -> bool:
        node = nodes.get(p.stage)
        return node is None or node.parent is None

    for p in sorted(positions, key=is_root):
        chosen.setdefault((p.device, p.peer), (p.stage, _ev(p.because) if p.because else None))
    for f in findings:
        if f.normal or (f.device, f.peer) in chosen:
            continue
        if f.stage:
            chosen[(f.device, f.peer)] = (f.stage, f.evidence[0] if f.evidence else None)
    out = []
    for (device, peer), (stage, because) in sorted(
        chosen.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")
    ):
        node = nodes.get(stage)
        if node is None:
            continue
        out.append(
            TreePosition(
                device=device,
                peer=peer,
                stage=stage,
                root=node.parent or stage,
                title=node.title.get(lang),
                because=because,
            )
        )
    return out


def _tree_next(
    kb: KB, report: Report, acc: dict[str, NextStep], lang: str, vendors: dict
) -> None:
    """Continue the fault tree where the evidence stops: the stage's collect list, in order,
    in the syntax of the device's vendor."""
    nodes = _nodes(kb, None)
    confident = {(f.device, f.peer) for f in report.findings if f.confidence >= CONFIDENT}
    for pos in report.tree:
        if (pos.device, pos.peer) in confident:
            continue
        node = _nodes(kb, vendors.get(pos.device)).get(pos.stage)
        for col in node.collect if node else ():
            _add_next(acc, col.command, lang, (col.why.en, col.why.zh), pos.device, pos.stage)
    if not any(not f.normal for f in report.findings) and not report.tree:
        seen = set(vendors.values())
        nodes = _nodes(kb, seen.pop() if len(seen) == 1 else None)  # the one vendor pasted
        for root in ("tunnel-down", "ike-sa", "unstable"):
            node = nodes.get(root)
            for col in node.collect[:2] if node else ():
                _add_next(acc, col.command, lang, (col.why.en, col.why.zh), None, root)
