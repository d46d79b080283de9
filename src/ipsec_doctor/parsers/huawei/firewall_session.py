"""``display firewall session table [verbose] [filters]`` (USG firewalls): the session table.

The brief layout prints one line per session (seed 003, case "NAT server reverse session")::

     Current Total Sessions : 3
     telnet  VPN: public --> public  10.135.21.61:59128 --> 192.168.50.180:23
     esp  VPN: public --> public  1.1.1.1:0 --> 2.1.1.1:0
     icmp  VPN: public --> public  10.1.2.2:44020[2.1.1.10:44020] --> 10.1.10.1:2048
     http  VPN:public --> public 192.168.1.2:2049-->10.1.1.2:80      (older USG, no blanks)

``verbose`` prints a record per session (seed 003, "IKE negotiation packets" cases)::

     udp  VPN: public --> public  ID: a68f5bd4603f01f756c5ab54663
     Zone: local --> trust  TTL: 00:02:00  Left: 00:01:58
     Recv Interface: InLoopBack0
     Interface: GigabitEthernet0/0/2  NextHop: 1.1.1.2  MAC: 2cab-0078-c406
     <--packets: 0 bytes: 0 --> packets: 0 bytes: 0
     1.1.1.1:500 --> 2.1.1.1:500 PolicyName: default

An address is ``ip:port``, followed by ``[ip:port]`` when NAT translated it (the post-NAT
address).  ``-->`` counters are the forward direction (initiator to responder), ``<--`` the
reverse one (the replies).  ``Slot: 1 CPU: 3`` lines and a leading timestamp (USG9000) are
skipped; the documents' ``//`` annotations are cut off.

Facts: one ``FirewallSession`` per session and one ``SessionTable`` per output (also when it is
empty: no session is evidence, e.g. no IKE session means IKE packets never passed).

This module also holds the small field helpers the other USG parsers share (``keyed``,
``parse_endpoint``, ``parse_duration``, ``strip_note``).
"""

from __future__ import annotations

from ...ingest.prompts import command_matches, command_tokens
from ...model import Line, State
from ..base import Context
from ..util import emit_table, is_clock, is_date, is_digits, is_ip

_NOTE = " //"
_ANY = ("any", "---", "--", "-")
_MAX_KEYS_SCAN = 4096  # a key that fails its boundary check this often is not in the line


# -- shared helpers ----------------------------------------------------------------------------


def strip_note(text: str) -> str:
    """Cut a ``//`` annotation the documents append to output lines."""
    i = text.find(_NOTE)
    return text[:i] if i != -1 else text


def normalise(text: str) -> str:
    """Collapse blanks and glue ``key :`` to ``key:`` so that keys can be found by ``find``."""
    return " ".join(text.split()).replace(" :", ":")


def keyed(text: str, keys: tuple[str, ...]) -> dict[str, str]:
    """Values of the known ``Key: value`` pairs of one line (several pairs a line allowed).

    ``keys`` are lower-case key names (blanks allowed: ``"recv interface"``).  A key counts where
    it starts the line or follows a blank, comma or parenthesis and is followed by a colon; a
    longer key wins over a shorter one inside it (``Recv Interface`` is not ``Interface``).  Each
    value runs to the next key and is stripped of blanks, commas and parentheses.
    """
    norm = normalise(text)
    low = norm.lower()
    spans: list[tuple[int, int, str]] = []
    for key in sorted(keys, key=len, reverse=True):
        pat = key + ":"
        start = 0
        for _ in range(_MAX_KEYS_SCAN):
            i = low.find(pat, start)
            if i == -1:
                break
            start = i + 1
            if i and low[i - 1] not in " ,(;":
                continue
            end = i + len(pat)
            if any(s < end and i < e for s, e, _k in spans):
                continue
            spans.append((i, end, key))
            break
    spans.sort()
    out: dict[str, str] = {}
    for n, (_s, end, key) in enumerate(spans):
        stop = spans[n + 1][0] if n + 1 < len(spans) else len(norm)
        out[key] = norm[end:stop].strip(" ,;()")
    return out


def other_field(text: str) -> bool:
    """Is ``text`` a ``Key: value`` line of a record (a field a parser has no use for)?

    Short keys (up to 3 words, 24 characters) with a value only: a header such as
    ``IKE SA information :`` (no value) belongs to the next output, not to this record.
    """
    key, sep, value = text.partition(":")
    key = key.strip()
    return bool(
        sep
        and key
        and value.strip()
        and len(key) <= 24
        and len(key.split()) <= 3
        and key[0].isalpha()
    )


def parse_int(tok: str | None) -> int | None:
    """Leading decimal digits of ``tok`` (``"80(www)"`` -> 80); None if there are none."""
    if not tok:
        return None
    n = 0
    while n < len(tok) and n < 20 and is_digits(tok[n]):
        n += 1
    return int(tok[:n]) if n else None


def parse_duration(tok: str | None) -> int | None:
    """Seconds of ``00:02:00``, ``02:00``, ``1d01h58m07s``, ``120s``, ``120``; None for ``---``."""
    if not tok:
        return None
    tok = tok.strip()
    if ":" in tok:
        parts = tok.split(":")
        if len(parts) in (2, 3) and all(is_digits(p) and len(p) <= 6 for p in parts):
            total = 0
            for p in parts:
                total = total * 60 + int(p)
            return total
        return None
    if is_digits(tok) and len(tok) <= 10:
        return int(tok)
    units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    total, num, seen = 0, "", False
    for ch in tok[:40]:
        if is_digits(ch):
            num += ch
        elif ch in units and num:
            total += int(num) * units[ch]
            num, seen = "", True
        else:
            return None
    return total if seen and not num else None


def _host_port(tok: str) -> tuple[str | None, int | None] | None:
    """``1.1.1.1:500``, ``1.1.1.1``, ``any``; IPv6 as ``[2001:db8::1]:500`` or bare."""
    if tok.lower() in _ANY:
        return None, None
    if is_ip(tok):
        return tok, None
    host, sep, port = tok.rpartition(":")
    if sep and is_digits(port) and len(port) <= 5:
        host = host[1:-1] if host[:1] == "[" and host[-1:] == "]" else host
        if is_ip(host):
            return host, int(port)
    return None


def parse_endpoint(tok: str) -> tuple[str | None, int | None, str | None, int | None] | None:
    """``ip[:port][[nat-ip[:port]]]`` -> (ip, port, nat ip, nat port); ``any`` gives Nones.

    None when ``tok`` is not an address at all.
    """
    main, nat = tok, ""
    if tok.endswith("]") and "[" in tok and not tok.startswith("["):
        main, _, nat = tok[:-1].partition("[")
    elif tok.endswith("]") and tok.count("[") > 1:  # [v6]:port[...]
        cut = tok.find("[", tok.find("]"))
        main, nat = tok[:cut], tok[cut + 1 : -1]
    first = _host_port(main)
    if first is None:
        return None
    second: tuple[str | None, int | None] = (None, None)
    if nat and nat.strip("-"):
        got = _host_port(nat)
        if got is None:
            return None
        second = got
    return first[0], first[1], second[0], second[1]


def parse_flow(text: str) -> dict | None:
    """``SRC --> DST`` (also ``->`` and glued arrows) into source/destination fields."""
    for arrow in ("-->", "->"):
        if arrow in text:
            left, _, right = text.partition(arrow)
            break
    else:
        return None
    lt, rt = left.split(), right.split()
    if not lt or not rt:
        return None
    src, dst = parse_endpoint(lt[-1]), parse_endpoint(rt[0])
    if src is None or dst is None:
        return None
    return {
        "source": src[0],
        "source_port": src[1],
        "source_nat": src[2],
        "source_nat_port": src[3],
        "destination": dst[0],
        "destination_port": dst[1],
        "destination_nat": dst[2],
        "destination_nat_port": dst[3],
    }


def split_pair(value: str) -> tuple[str | None, str | None]:
    """``public --> public`` / ``local->trust`` into its two sides (None for ``---``)."""
    left, sep, right = value.replace("-->", "->").partition("->")
    if not sep:
        return (value.strip() or None), None
    a = left.strip()
    b = right.split()[0] if right.split() else ""
    return (a if a and a not in _ANY else None), (b if b and b not in _ANY else None)


# -- facts -------------------------------------------------------------------------------------


class FirewallSession(State, kw_only=True):
    """One session.  Addresses are strings (``None`` = not printed); ``*_nat`` is the address
    NAT turned the one before it into.  TTL/left are seconds."""

    protocol: str  # as printed: "udp", "esp", "telnet", "icmp" ...
    vpn_source: str | None = None
    vpn_destination: str | None = None
    session_id: str | None = None
    source: str | None = None
    source_port: int | None = None
    source_nat: str | None = None
    source_nat_port: int | None = None
    destination: str | None = None
    destination_port: int | None = None
    destination_nat: str | None = None
    destination_nat_port: int | None = None
    zone_source: str | None = None
    zone_destination: str | None = None
    ttl: int | None = None
    left: int | None = None
    recv_interface: str | None = None
    interface: str | None = None  # outgoing interface
    next_hop: str | None = None
    mac: str | None = None
    forward_packets: int | None = None  # "-->": initiator to responder
    forward_bytes: int | None = None
    reverse_packets: int | None = None  # "<--": the replies
    reverse_bytes: int | None = None
    policy: str | None = None
    verbose: bool = False

    @property
    def nat(self) -> bool:
        return self.source_nat is not None or self.destination_nat is not None

    @property
    def ike(self) -> bool:
        """UDP 500/4500 between the IKE peers (either end)."""
        return self.protocol.lower() in ("udp", "ike", "isakmp", "ike-nat-t") and (
            self.source_port in (500, 4500) or self.destination_port in (500, 4500)
        )


class SessionTable(State, kw_only=True):
    """One output: how many sessions it listed and the printed total."""

    rows: int = 0
    total: int | None = None  # "Current Total Sessions : N"
    verbose: bool = False
    filter: str | None = None  # what followed "table [verbose]" in the command


_DETAIL_KEYS = (
    "zone",
    "ttl",
    "left",
    "recv interface",
    "interface",
    "nexthop",
    "mac",
    "policyname",
    "policy name",
)


def _counters(text: str) -> dict[str, int]:
    """``<--packets: 0 bytes: 0 --> packets: 0 bytes: 0`` (blanks optional)."""
    t = text.replace("<--", " < ").replace("-->", " > ").replace(":", " ")
    out: dict[str, int] = {}
    side = ""
    toks = t.split()
    for i, tok in enumerate(toks):
        if tok in ("<", ">"):
            side = "reverse" if tok == "<" else "forward"
        elif side and tok.lower() in ("packets", "bytes") and i + 1 < len(toks):
            n = parse_int(toks[i + 1])
            if n is not None:
                out[f"{side}_{tok.lower()}"] = n
    return out


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.rows = 0
        self.total: int | None = None
        self.total_line: Line | None = None
        self.cur: dict | None = None
        self.cur_lines: dict[str, Line] = {}
        self.cur_ev: Line | None = None
        words = ctx.command.split("|", 1)[0].split()
        if not command_matches(command_tokens(ctx.command), FirewallSessionParser.commands[0]):
            words = []  # started by a line's shape: the last typed command is another one's
        self.verbose = len(words) > 4 and "verbose".startswith(words[4].lower())
        self.filter = " ".join(words[5 if self.verbose else 4 :]) or None

    # -- records --------------------------------------------------------------------------
    def _flush(self) -> None:
        if self.cur is None or self.cur_ev is None:
            return
        fields, lines, ev = self.cur, self.cur_lines, self.cur_ev
        self.cur, self.cur_lines, self.cur_ev = None, {}, None
        self.rows += 1
        self.ctx.emit(
            FirewallSession(
                vendor="huawei",
                family="firewall-session",
                ev=ev,
                device=self.ctx.device,
                lines=lines,
                **fields,
            )
        )

    def _head(self, text: str, ev: Line) -> bool:
        low = text.lower()
        i = low.find("vpn:")
        if i <= 0:
            return False
        protocol = text[:i].strip()
        if not protocol or " " in protocol or len(protocol) > 32:
            return False
        rest = text[i + 4 :].replace("-->", " --> ")
        toks = rest.split()
        if len(toks) < 3 or toks[1] != "-->":
            return False
        fields: dict = {"protocol": protocol}
        fields["vpn_source"], fields["vpn_destination"] = toks[0], toks[2]
        lines = {"protocol": ev, "vpn": ev}
        tail = " ".join(toks[3:])
        kv = keyed(tail, ("id", "policyname"))
        if "id" in kv:
            fields["session_id"] = kv["id"].split(" ", 1)[0] or None
            lines["session_id"] = ev
        if "policyname" in kv:
            fields["policy"] = kv["policyname"] or None
            lines["policy"] = ev
        flow = parse_flow(tail.split(" ID:", 1)[0]) if "-->" in tail else None
        if flow is not None:
            fields.update(flow)
            lines["flow"] = ev
        elif tail and "id" not in kv:
            return False
        self._flush()
        fields["verbose"] = self.verbose or "id" in kv
        self.cur, self.cur_lines, self.cur_ev = fields, lines, ev
        return True

    def _detail(self, text: str, ev: Line) -> bool:
        cur, lines = self.cur, self.cur_lines
        if cur is None:
            return False
        low = text.lower()
        if low.startswith("<--") or (low.startswith("-->") and "packets" in low):
            got = _counters(text)
            if not got:
                return False
            cur.update(got)
            lines["counters"] = ev
            cur["verbose"] = True
            return True
        kv = keyed(text, _DETAIL_KEYS)
        if kv and low.startswith(tuple(kv)):
            if "zone" in kv:
                cur["zone_source"], cur["zone_destination"] = split_pair(kv["zone"])
                lines["zone"] = ev
            if "ttl" in kv:
                cur["ttl"] = parse_duration(kv["ttl"])
                lines["ttl"] = ev
            if "left" in kv:
                cur["left"] = parse_duration(kv["left"])
                lines["left"] = ev
            for key, field in (
                ("recv interface", "recv_interface"),
                ("interface", "interface"),
                ("nexthop", "next_hop"),
                ("mac", "mac"),
                ("policyname", "policy"),
                ("policy name", "policy"),
            ):
                if key in kv:
                    cur[field] = kv[key].split(" ", 1)[0] or None
                    lines[field] = ev
            cur["verbose"] = True
            return True
        flow = parse_flow(text) if "->" in text else None
        if flow is not None:
            cur.update(flow)
            lines["flow"] = ev
            if "policyname" in kv or "policy name" in kv:
                cur["policy"] = (kv.get("policyname") or kv.get("policy name") or "") or None
                lines["policy"] = ev
            return True
        return other_field(text)

    # -- Block protocol -------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        if self.first is None:
            self.first = ev
        text = strip_note(ev.text).strip()
        if not text or text.startswith("```") or text.strip(".") == "" or text.startswith("---"):
            return True
        low = text.lower()
        if low.startswith("current total session"):
            self.total = parse_int(text.rpartition(":")[2].strip())
            self.total_line = ev
            return True
        if low.startswith("slot:") or low.startswith("total sessions"):
            return True
        toks = text.split()
        if len(toks) <= 2 and is_date(toks[0]) and (len(toks) == 1 or is_clock(toks[1])):
            return True  # the timestamp USG prints first
        if "vpn:" in low and self._head(text, ev):
            return True
        return self._detail(text, ev)

    def close(self) -> None:
        self._flush()
        emit_table(
            self.ctx,
            SessionTable,
            "firewall-session-table",
            self.first,
            rows=self.rows,
            total=self.total,
            total_line=self.total_line,
            verbose=self.verbose,
            filter=self.filter,
        )


class FirewallSessionParser:
    name = "huawei.display-firewall-session-table"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "firewall", "session", "table"),)

    def accepts(self, text: str) -> bool:
        head = text[:256].lstrip().lower()
        if head.startswith("current total session"):
            return True
        i = head.find("vpn:")
        return 0 < i <= 33 and "-->" in head and " " not in head[:i].strip()

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (FirewallSessionParser,)
