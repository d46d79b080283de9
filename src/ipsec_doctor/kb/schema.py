"""The knowledge-base schema: one YAML file per vendor reason, validated by msgspec.

See README "Adding a KB entry".  Text meant for people is bilingual (``Text``: en + zh).
"""

from __future__ import annotations

import msgspec

KINDS = ("ike-failure", "teardown", "debug", "notify", "alarm", "state")
# Where a fault sits in the vendor fault trees (tunnel not up -> ...; tunnel up -> ...).
STAGES = ("no-ike", "ike-sa", "ipsec-sa", "one-sided", "no-traffic", "poor-quality", "unstable")


class Text(msgspec.Struct, forbid_unknown_fields=True):
    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class CauseRef(msgspec.Struct, forbid_unknown_fields=True):
    id: str  # a root-cause id from causes.yaml
    weight: float  # 0 < weight <= 1: how strongly this reason points at the cause


class Outcome(msgspec.Struct, forbid_unknown_fields=True):
    when: Text  # what the engineer sees
    then: Text  # what it means / what to do
    cause: str | None = None  # the root cause this outcome confirms
    goto: int | None = None  # the next step number (1-based)


class Step(msgspec.Struct, forbid_unknown_fields=True):
    command: str  # vendor syntax, run on the device (or "check" for a manual check)
    read: Text  # which field(s) to read
    outcomes: list[Outcome] = []


class Fix(msgspec.Struct, forbid_unknown_fields=True):
    cause: str
    commands: list[str]  # vendor syntax, in order; <placeholders> in angle brackets
    note: Text | None = None


class Collect(msgspec.Struct, forbid_unknown_fields=True):
    command: str
    why: Text


class Entry(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    vendor: str
    kind: str
    strings: list[str]  # exact vendor wordings (case-insensitive, spaces normalised)
    title: Text
    explanation: Text
    causes: list[CauseRef]
    steps: list[Step]
    fix: list[Fix]
    patterns: list[str] = []  # "*"-globs for finer wordings of the same family
    codes: list[int] = []  # numeric reason codes (IPSECNEGOFAIL ReasonCode=)
    normal: bool = False  # a normal event: reported as expected-event, not a fault
    collect: list[Collect] = []
    sources: list[str] = []  # where the wording was seen (reference seed, section)
    stage: str | None = None  # fault-tree stage; default: the stage of the first cause


class Cause(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    group: str
    title: Text
    summary: Text
    stage: str | None = None  # the fault-tree stage where this cause usually shows


class TreeNode(msgspec.Struct, forbid_unknown_fields=True):
    """A node of a vendor fault tree: what it means and what to collect there, in order."""

    id: str  # a stage id (STAGES) or a root ("tunnel-down", "service-abnormal")
    parent: str | None
    title: Text
    collect: list[Collect] = []


class Combo(msgspec.Struct, forbid_unknown_fields=True):
    """A combination of signals that means one thing (not several faults)."""

    id: str
    all: list[str]  # entry ids that must all be present for the same device and peer
    explanation: Text
    boost: dict[str, float]  # cause id -> score added
    any: list[str] = []  # at least one of these entry ids (if given)
    suppress: list[str] = []  # cause ids whose score is scaled down
    nat: bool | None = None  # require (True) / forbid (False) signs of NAT for the peer
