"""Low-level readers for strongSwan configuration text, keeping the line of every value.

* ``parse_sections``: the strongswan.conf-style nested-section syntax of ``swanctl.conf``
  (``name { key = value }``, ``#`` comments, quoted values, ``include`` lines, section
  references ``name : base { }``, repeated sections merged as charon's settings parser does).
* ``parse_ipsec_conf``: legacy ``ipsec.conf`` (``config setup`` / ``conn NAME`` / ``ca NAME``
  headers at column 0, indented ``key=value`` lines) and the ``ipsec.secrets`` lines that the
  ``check`` front end may append to it (``ID ID : PSK "key"``).

Values are returned as written (unquoted); nothing here interprets them.  Secret values are kept
only long enough for the reader to digest them (``config/secrets.py``).
"""

from __future__ import annotations

import msgspec

from . import ConfigError

MAX_DEPTH = 16  # swanctl nests 4 deep (connections.conn.children.child); more is not a config


class Value(msgspec.Struct, frozen=True):
    value: str
    line: int


class Section(msgspec.Struct, kw_only=True):
    name: str
    line: int
    settings: dict[str, Value] = {}
    sections: dict[str, Section] = {}
    bases: tuple[str, ...] = ()  # referenced sections (``name : base``), applied at the end

    def get(self, key: str) -> Value | None:
        return self.settings.get(key)

    def sub(self, name: str) -> Section | None:
        return self.sections.get(name)


def _strip_comment(line: str) -> str:
    """The line without a ``#`` comment (a ``#`` inside double quotes is kept)."""
    if "#" not in line:
        return line
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            return line[:i]
    return line


def unquote(value: str) -> str:
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
        if '\\"' in v:
            v = v.replace('\\"', '"')
    return v


def parse_sections(text: str, source: str) -> tuple[Section, list[tuple[int, str]]]:
    """The root section of a swanctl.conf text and its ``include`` lines ``(line, path)``."""
    root = Section(name="", line=0, settings={}, sections={})
    stack = [root]
    includes: list[tuple[int, str]] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw).strip()
        while line:
            if line.startswith("}"):
                if len(stack) == 1:
                    raise ConfigError(f"{source}: line {n}: '}}' without an open section")
                stack.pop()
                line = line[1:].strip()
                continue
            if line.startswith("include ") or line.startswith("include\t"):
                includes.append((n, line[8:].strip()))
                break
            if "=" in line and ("{" not in line or line.index("=") < line.index("{")):
                key, _, value = line.partition("=")
                value = value.strip()
                close = 0
                # ``local { auth = psk }`` on one line: trailing unquoted '}' close sections
                end = value.find('"', 1) if value.startswith('"') else -1
                body, tail = (value[: end + 1], value[end + 1 :]) if end > 0 else ("", value)
                while tail.rstrip().endswith("}"):
                    tail = tail.rstrip()[:-1]
                    close += 1
                value = (body + tail).strip()
                key = key.strip()
                if not key or " " in key:
                    raise ConfigError(f"{source}: line {n}: not a 'key = value' setting")
                stack[-1].settings[key] = Value(unquote(value), n)
                for _ in range(close):
                    if len(stack) == 1:
                        raise ConfigError(f"{source}: line {n}: '}}' without an open section")
                    stack.pop()
                break
            if "{" in line:
                head, _, rest = line.partition("{")
                name, _, base = head.partition(":")
                name = name.strip()
                if not name or " " in name:
                    raise ConfigError(f"{source}: line {n}: section without a valid name")
                if len(stack) >= MAX_DEPTH:
                    raise ConfigError(f"{source}: line {n}: sections nested too deeply")
                parent = stack[-1]
                sec = parent.sections.get(name)
                if sec is None:  # a repeated section is merged into the first one
                    sec = Section(name=name, line=n, settings={}, sections={})
                    parent.sections[name] = sec
                if base.strip():
                    sec.bases = tuple(b.strip() for b in base.split(",") if b.strip())
                stack.append(sec)
                line = rest.strip()
                continue
            raise ConfigError(f"{source}: line {n}: neither a section nor a 'key = value' setting")
    if len(stack) != 1:
        raise ConfigError(f"{source}: section '{stack[-1].name}' (line {stack[-1].line}) "
                          "is never closed")
    _apply_bases(root, root, 0)
    return root, includes


def _lookup(root: Section, path: str) -> Section | None:
    sec: Section | None = root
    for part in path.split("."):
        if sec is None:
            return None
        sec = sec.sections.get(part)
    return sec


def _apply_bases(root: Section, sec: Section, depth: int) -> None:
    """Section references (strongSwan 5.7+): settings and subsections of the base that the
    section does not set itself are inherited."""
    if depth > MAX_DEPTH:
        return
    for sub in sec.sections.values():
        _apply_bases(root, sub, depth + 1)
    for path in sec.bases:
        base = _lookup(root, path)
        if base is None or base is sec:
            continue
        _inherit(sec, base, 0)


def _inherit(sec: Section, base: Section, depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    for k, v in base.settings.items():
        sec.settings.setdefault(k, v)
    for name, bsub in base.sections.items():
        mine = sec.sections.get(name)
        if mine is None:
            sec.sections[name] = mine = Section(name=name, line=bsub.line, settings={},
                                                sections={})
        _inherit(mine, bsub, depth + 1)


# ---------------------------------------------------------------------------- ipsec.conf

SECRET_TYPES = ("PSK", "RSA", "ECDSA", "BLISS", "XAUTH", "EAP", "NTLM", "PIN", "P12", "PKCS12",
                "PKCS8", "PRIVATE")


class Conn(msgspec.Struct, kw_only=True):
    kind: str  # conn / config / ca
    name: str
    line: int
    settings: dict[str, Value] = {}


class SecretLine(msgspec.Struct, kw_only=True):
    ids: tuple[str, ...]
    type: str
    value: str  # the raw key as written (quoted / 0x / 0s): digest it, never keep it
    line: int


def secret_line(line: str) -> tuple[str, str, str] | None:
    """``ids``, ``TYPE``, ``rest`` of an ipsec.secrets line (``A B : PSK "x"``), else None."""
    s = line.strip()
    if ":" not in s or s.startswith("#"):
        return None
    ids, _, rest = s.partition(":")
    # an id may itself hold a colon (IPv6, "fqdn:" prefixes): take the colon followed by a type
    while True:
        word = rest.strip().split(None, 1)
        if word and word[0] in SECRET_TYPES:
            return ids.strip(), word[0], word[1] if len(word) > 1 else ""
        more, sep, rest2 = rest.partition(":")
        if not sep:
            return None
        ids, rest = ids + ":" + more, rest2


def parse_ipsec_conf(text: str, source: str) -> tuple[list[Conn], list[SecretLine],
                                                      list[tuple[int, str]], int]:
    """Sections, secrets lines, include lines and the first line of the secrets part
    (0 when the text holds no ipsec.secrets lines)."""
    conns: list[Conn] = []
    secrets: list[SecretLine] = []
    includes: list[tuple[int, str]] = []
    current: Conn | None = None
    boundary = 0
    for n, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        if not line.strip():
            continue
        parsed = secret_line(line)
        if parsed is not None and (boundary or not raw[:1].isspace()):
            ids, typ, rest = parsed
            boundary = boundary or n
            secrets.append(SecretLine(ids=tuple(ids.split()), type=typ, value=rest.strip(),
                                      line=n))
            current = None
            continue
        if boundary:
            if line.strip().startswith("include"):
                includes.append((n, line.strip()[7:].strip()))
            continue  # continuation lines of the secrets file are not modelled
        if not raw[:1].isspace():
            words = line.split()
            if words[0] in ("conn", "ca", "config") and len(words) >= 2:
                current = Conn(kind=words[0], name=words[1], line=n, settings={})
                conns.append(current)
                continue
            if words[0] == "include":
                includes.append((n, " ".join(words[1:])))
                current = None
                continue
            if words[0] == "version":
                continue
            raise ConfigError(f"{source}: line {n}: not an ipsec.conf section header")
        if current is None:
            raise ConfigError(f"{source}: line {n}: indented setting outside a section")
        key, sep, value = line.strip().partition("=")
        if not sep:
            raise ConfigError(f"{source}: line {n}: not a 'key=value' setting")
        current.settings[key.strip()] = Value(unquote(value), n)
    return conns, secrets, includes, boundary
