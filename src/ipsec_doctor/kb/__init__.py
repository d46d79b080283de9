"""The knowledge base: vendor reasons as data (``data/<vendor>/*.yaml``), the root-cause
catalogue (``causes.yaml``) and signal combinations (``combos.yaml``).

``load()`` validates everything once and builds the lookup index; ``lookup(vendor, reason)``
finds the entry for a vendor reason: exact wording first, then the most specific pattern.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import msgspec

from .schema import KINDS, STAGES, Cause, Combo, Entry, TreeNode


def normalize(reason: str) -> str:
    """Lower-case, hyphens and underscores as spaces, single-spaced, no quotes or final dot.

    "dpd-timeout", "DPD timeout" and "dpd  timeout." all become "dpd timeout".
    """
    text = reason.lower().replace("-", " ").replace("_", " ")
    return " ".join(text.split()).strip("\"'").rstrip(".").strip()


@dataclass(frozen=True)
class _Pattern:
    parts: tuple[str, ...]
    entry: Entry

    def matches(self, text: str) -> bool:
        first, *middle, last = self.parts
        if not text.startswith(first) or not text.endswith(last):
            return False
        pos, end = len(first), len(text) - len(last)
        if pos > end:
            return False
        for part in middle:
            i = text.find(part, pos, end)
            if i == -1:
                return False
            pos = i + len(part)
        return True


@dataclass(frozen=True)
class KB:
    entries: dict[str, Entry]
    causes: dict[str, Cause]
    combos: tuple[Combo, ...]
    trees: dict[str, dict[str, TreeNode]]  # vendor -> node id -> node, in tree order
    exact: dict[tuple[str, str], Entry]
    codes: dict[tuple[str, int], Entry]
    patterns: dict[str, tuple[_Pattern, ...]]

    def lookup(self, vendor: str, reason: str, code: int | None = None) -> Entry | None:
        key = normalize(reason)
        hit = self.exact.get((vendor, key))
        if hit is not None:
            return hit
        for pat in self.patterns.get(vendor, ()):
            if pat.matches(key):
                return pat.entry
        if code is not None:
            return self.codes.get((vendor, code))
        return None

    def stage_of(self, entry: Entry) -> str | None:
        """The fault-tree stage of an entry: its own; a teardown means the tunnel was up and
        dropped; else the stage of its first cause."""
        if entry.stage:
            return entry.stage
        if entry.kind == "teardown":
            return "unstable"
        for ref in entry.causes:
            cause = self.causes.get(ref.id)
            if cause is not None and cause.stage:
                return cause.stage
        return None


def _read_yaml(text: str, where: str):
    import yaml  # only when the YAML is read (not when the cache serves)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is much faster
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise ValueError(f"{where}: invalid YAML: {exc}") from None


def load_entries() -> list[tuple[str, Entry]]:
    root = resources.files(__package__).joinpath("data")
    out: list[tuple[str, Entry]] = []
    for vendor_dir in sorted(root.iterdir(), key=lambda p: p.name):
        if not vendor_dir.is_dir():
            continue
        for f in sorted(vendor_dir.iterdir(), key=lambda p: p.name):
            if not f.name.endswith(".yaml"):
                continue
            where = f"kb/data/{vendor_dir.name}/{f.name}"
            raw = _read_yaml(f.read_text(encoding="utf-8"), where)
            try:
                entry = msgspec.convert(raw, Entry)
            except msgspec.ValidationError as exc:
                raise ValueError(f"{where}: {exc}") from None
            out.append((where, entry))
    return out


def _pkg_yaml(name: str):
    f = resources.files(__package__).joinpath(name)
    return _read_yaml(f.read_text(encoding="utf-8"), f"kb/{name}")


class _Compiled(msgspec.Struct):
    """The validated knowledge base as one value, for the on-disk cache."""

    causes: list[Cause]
    combos: list[Combo]
    trees: dict[str, list[TreeNode]]
    entries: list[tuple[str, Entry]]


def _read_all() -> _Compiled:
    trees: dict[str, list[TreeNode]] = {}
    tree_dir = resources.files(__package__).joinpath("tree")
    for f in sorted(tree_dir.iterdir(), key=lambda p: p.name):
        if f.name.endswith(".yaml"):
            trees[f.name[:-5]] = msgspec.convert(_pkg_yaml(f"tree/{f.name}"), list[TreeNode])
    return _Compiled(
        causes=msgspec.convert(_pkg_yaml("causes.yaml"), list[Cause]),
        combos=msgspec.convert(_pkg_yaml("combos.yaml") or [], list[Combo]),
        trees=trees,
        entries=load_entries(),
    )


def _fingerprint() -> str | None:
    """Names, sizes and modification times of every knowledge-base file (and the version)."""
    from .. import __version__

    root = Path(str(resources.files(__package__)))
    if not root.is_dir():
        return None
    h = hashlib.sha256(__version__.encode())
    for f in sorted(root.rglob("*.yaml")):
        st = f.stat()
        h.update(f"{f.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:24]


def _cache_path(fp: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ipsec-doctor" / f"kb-{fp}.msgpack"


def _compiled() -> _Compiled:
    """The validated knowledge base, from the cache when the YAML files are unchanged.

    Parsing and validating some hundred YAML files costs a quarter of a second at every start;
    the cache (``$XDG_CACHE_HOME/ipsec-doctor``, keyed by the files' names, sizes and times)
    brings that to a few milliseconds.  ``IPSEC_DOCTOR_NO_CACHE=1`` bypasses it; any problem
    with the cache falls back to reading the YAML.
    """
    if os.environ.get("IPSEC_DOCTOR_NO_CACHE"):
        return _read_all()
    fp = _fingerprint()
    if fp is None:
        return _read_all()
    path = _cache_path(fp)
    try:
        return msgspec.msgpack.decode(path.read_bytes(), type=_Compiled)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        pass
    data = _read_all()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(msgspec.msgpack.encode(data))
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError:
        pass
    return data


CACHE_KEEP = 4  # compiled knowledge bases kept (several installs may share the cache folder)


def _prune(folder: Path) -> None:
    """Delete all but the ``CACHE_KEEP`` newest compiled knowledge bases (each edit of a YAML
    file makes a new one)."""
    files = sorted(folder.glob("kb-*.msgpack"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[CACHE_KEEP:]:
        old.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def load() -> KB:
    data = _compiled()
    causes = {c.id: c for c in data.causes}
    combos = tuple(data.combos)
    trees = {v: {n.id: n for n in nodes} for v, nodes in data.trees.items()}
    entries: dict[str, Entry] = {}
    exact: dict[tuple[str, str], Entry] = {}
    codes: dict[tuple[str, int], Entry] = {}
    pats: dict[str, list[_Pattern]] = {}
    for where, e in data.entries:
        if e.id in entries:
            raise ValueError(f"{where}: duplicate entry id {e.id}")
        if e.kind not in KINDS:
            raise ValueError(f"{where}: kind {e.kind!r} not in {KINDS}")
        if e.stage is not None and e.stage not in STAGES:
            raise ValueError(f"{where}: stage {e.stage!r} not in {STAGES}")
        entries[e.id] = e
        for s in e.strings:
            key = (e.vendor, normalize(s))
            if key in exact:
                raise ValueError(f"{where}: wording {s!r} already in {exact[key].id}")
            exact[key] = e
        for c in e.codes:
            codes.setdefault((e.vendor, c), e)
        for p in e.patterns:
            parts = tuple(normalize(x) if x.strip() else "" for x in p.split("*"))
            pats.setdefault(e.vendor, []).append(_Pattern(parts, e))
    ordered = {
        v: tuple(sorted(ps, key=lambda p: -sum(len(x) for x in p.parts))) for v, ps in pats.items()
    }
    return KB(entries, causes, combos, trees, exact, codes, ordered)
