"""Rules: pure functions from state facts (and the signals already tallied) to derived signals
and fault-tree positions.  This is where the vendor fault trees are walked.

A rule module in this package defines ``RULES``, a tuple of functions ``rule(world) ->
Iterable[Signal | Position]``:

* a derived ``Signal`` (family ``rule``, kind ``state``, reason ``state: <id>``) names a
  condition proven by the evidence, with the lines that prove it (``ev`` and ``extra``).  Its
  meaning, root causes, steps and fixes live in the knowledge base as an entry whose wording is
  that reason (``kb/data/<vendor>/state-<id>.yaml``), so the engine scores it like any vendor
  message and the text stays in data, in both languages;
* a ``Position`` says where in the fault tree the evidence puts a device (and peer), so the
  report can show it and "collect next" can continue from there.

Rules never do I/O.  Each rule has tests with evidence that triggers it and evidence that must
not (``tests/test_rules_*.py``).
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from typing import TypeVar

from ...model import Line, Signal, State
from ..aggregate import Aggregate, Tally

S = TypeVar("S", bound=State)


@dataclass(frozen=True)
class Position:
    """The evidence puts ``device`` (and ``peer``) at ``stage`` of the fault tree."""

    device: str | None
    stage: str
    peer: str | None = None
    because: Line | None = None
    rule: str = ""


class World:
    """Read-only view of everything collected, for rules."""

    def __init__(self, agg: Aggregate) -> None:
        self.agg = agg
        self._by: dict[tuple[str | None, type], list[State]] = {}
        for s in agg.states:
            self._by.setdefault((s.device, type(s)), []).append(s)

    def devices(self) -> list[str | None]:
        seen = {d for d, _ in self._by} | {d for d, _ in self.agg.groups}
        return sorted(seen, key=lambda d: d or "")

    def states(self, cls: type[S], device: str | None = ...) -> list[S]:  # type: ignore[assignment]
        """Facts of one class, for one device (or for all when ``device`` is omitted)."""
        if device is ...:
            return [s for (_, c), v in self._by.items() if c is cls for s in v]  # type: ignore[misc]
        return list(self._by.get((device, cls), ()))  # type: ignore[arg-type]

    def first(self, cls: type[S], device: str | None) -> S | None:
        found = self._by.get((device, cls))
        return found[-1] if found else None  # type: ignore[return-value]

    def tallies(self, device: str | None) -> dict[str | None, dict[str, Tally]]:
        """Signals tallied for one device, per peer."""
        return {p: t for (d, p), t in self.agg.groups.items() if d == device}

    def has_signal(self, device: str | None, kinds: tuple[str, ...] = ()) -> bool:
        for (d, _), tallies in self.agg.groups.items():
            if d == device and any(not kinds or t.kind in kinds for t in tallies.values()):
                return True
        return False


def derived(
    rule_id: str,
    ev: Line,
    *extra: Line,
    device: str | None,
    peer: str | None = None,
    vendor: str = "huawei",
    detail: str | None = None,
) -> Signal:
    """A derived signal whose wording is ``state: <rule_id>`` (its KB entry's string)."""
    return Signal(
        vendor=vendor,
        family="rule",
        kind="state",
        reason=f"state: {rule_id}",
        ev=ev,
        extra=tuple(x for x in extra if x is not None and x != ev),
        device=device,
        peer=peer,
        detail=detail,
    )


Rule = Callable[[World], Iterable["Signal | Position"]]


@lru_cache(maxsize=1)
def registry() -> tuple[Rule, ...]:
    found: list[Rule] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        mod = import_module(f"{__name__}.{info.name}")
        found.extend(getattr(mod, "RULES", ()))
    return tuple(found)


def run(world: World, rules: Iterable[Rule] | None = None) -> Iterator[Signal | Position]:
    for rule in rules if rules is not None else registry():
        yield from rule(world)
