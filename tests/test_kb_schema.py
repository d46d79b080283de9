"""Schema test: every knowledge-base file is valid and internally consistent.

msgspec already rejects unknown fields and wrong types when ``kb.load()`` runs; these tests add
the rules a type cannot express (ids exist, steps are followable, texts are bilingual, ...).
"""

from __future__ import annotations

import csv
import re

import pytest

from ipsec_doctor.kb import load, load_entries, normalize

CJK = re.compile(r"[\u4e00-\u9fff]")
ENTRIES = load_entries()
IDS = [where for where, _ in ENTRIES]


def _texts(entry):
    yield "title", entry.title
    yield "explanation", entry.explanation
    for i, step in enumerate(entry.steps, 1):
        yield f"step {i} read", step.read
        for j, o in enumerate(step.outcomes, 1):
            yield f"step {i} outcome {j} when", o.when
            yield f"step {i} outcome {j} then", o.then
    for f in entry.fix:
        if f.note is not None:
            yield f"fix {f.cause} note", f.note
    for c in entry.collect:
        yield f"collect {c.command}", c.why


def test_kb_loads_and_is_not_empty() -> None:
    kb = load()
    assert len(kb.entries) >= 2
    assert "expected-event" in kb.causes


@pytest.mark.parametrize("where", IDS)
def test_entry_is_consistent(where: str) -> None:
    entry = dict(ENTRIES)[where]
    kb = load()
    assert where.endswith(f"/{entry.id}.yaml"), "file name must be <id>.yaml"
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{1,80}", entry.id), entry.id
    assert entry.strings, "at least one exact wording"
    for s in entry.strings:
        assert s == s.strip() and s, f"wording {s!r} has stray spaces"
    cause_ids = [c.id for c in entry.causes]
    assert cause_ids, "at least one root cause"
    assert len(set(cause_ids)) == len(cause_ids), "a cause listed twice"
    for c in entry.causes:
        assert c.id in kb.causes, f"unknown root cause {c.id}"
        assert 0 < c.weight <= 1, f"weight of {c.id}"
    weights = [c.weight for c in entry.causes]
    assert weights == sorted(weights, reverse=True), "causes must be listed most likely first"
    if entry.normal:
        assert cause_ids[0] == "expected-event", "a normal event points at expected-event"
    else:
        assert entry.steps, "a fault needs decision steps"
        assert entry.fix or entry.kind in ("debug", "notify"), "a fault needs a fix"
    for i, step in enumerate(entry.steps, 1):
        assert step.command.strip(), f"step {i} has no command"
        for o in step.outcomes:
            if o.cause is not None:
                assert o.cause in kb.causes, f"step {i} names unknown cause {o.cause}"
            if o.goto is not None:
                assert i < o.goto <= len(entry.steps), f"step {i} goto {o.goto} out of range"
    for f in entry.fix:
        assert f.cause in kb.causes, f"fix for unknown cause {f.cause}"
        assert f.cause in cause_ids, f"fix for {f.cause}, which the entry does not point at"
        # a fix is commands, or (when no setting can fix it) a note saying what to do instead
        assert (f.commands and all(c.strip() for c in f.commands)) or f.note is not None
        for c in f.commands:
            assert not re.search(r"(?i)(cipher|simple)\s+(?!<)[^\s<]{4,}", c), "no real secrets"
    for label, text in _texts(entry):
        assert text.en.strip() and text.zh.strip(), f"{label}: both languages"
        assert CJK.search(text.zh), f"{label}: zh text has no Chinese"
        assert not CJK.search(text.en), f"{label}: en text has Chinese"


def test_wordings_are_unique_across_entries() -> None:
    seen: dict[str, str] = {}
    for where, entry in ENTRIES:
        for s in entry.strings:
            key = f"{entry.vendor}:{normalize(s)}"
            assert key not in seen, f"{s!r} in {where} and {seen[key]}"
            seen[key] = where


def test_catalogue_holds_every_spec_cause(request) -> None:
    from conftest import SHARED

    tsv = SHARED / "spec" / "root-causes.tsv"
    if not tsv.exists():
        pytest.skip(f"{tsv} not present")
    with tsv.open(encoding="utf-8") as fh:
        spec = {row["id"]: row["group"] for row in csv.DictReader(fh, delimiter="\t")}
    causes = load().causes
    for cid, group in spec.items():
        assert cid in causes, f"spec cause {cid} missing from kb/causes.yaml"
        assert causes[cid].group == group
    for c in causes.values():
        assert CJK.search(c.title.zh) and CJK.search(c.summary.zh)


def test_combos_refer_to_known_ids() -> None:
    kb = load()
    for combo in kb.combos:
        for eid in combo.all + combo.any:
            assert eid in kb.entries, f"combo {combo.id}: unknown entry {eid}"
        for cid in list(combo.boost) + combo.suppress:
            assert cid in kb.causes, f"combo {combo.id}: unknown cause {cid}"
