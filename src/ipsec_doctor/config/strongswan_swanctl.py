"""swanctl.conf (``connections``/``secrets`` sections) to ``DeviceConfig``: one ``Tunnel`` per
child, the connection's IKE settings repeated (see ``config/strongswan.py`` for the modelling
choices)."""

from __future__ import annotations

from ..model import Line
from . import ConfigError
from .model import DeviceConfig, Identity, IkeProposal, Secret, Tunnel
from .secrets import secret
from .strongswan_common import (
    LOCAL_IF,
    _addresses,
    _auth,
    _best_key,
    _child_proposals,
    _Ctx,
    _d,
    _decode_key,
    _device,
    _ike_proposals,
    _Key,
    identity,
    seconds,
)
from .strongswan_proposals import Parsed, parse_list
from .strongswan_syntax import Section, Value, parse_sections
from .strongswan_ts import selectors


def _swanctl_keys(ctx: _Ctx, root: Section) -> list[_Key]:
    keys: list[_Key] = []
    secrets = root.sub("secrets")
    if secrets is None:
        return keys
    for name, sec in secrets.sections.items():
        if not name.startswith("ike"):
            continue
        val = sec.get("secret")
        ids = [identity(v.value) for k, v in sec.settings.items() if k.startswith("id")]
        if val is None:
            ctx.note(sec.line, "IKE secret section without 'secret'")
            continue
        keys.append(_Key(ids, secret(_decode_key(val.value, quoted_is_literal=False),
                                     encrypted=False), val.line))
    return keys


def child_line(t: Tunnel) -> int:
    return t.ev.line if t.ev is not None else 0


def _rounds(conn: Section, prefix: str) -> list[Section]:
    out = [s for n, s in conn.sections.items() if n.startswith(prefix)]

    def order(s: Section) -> int:
        r = s.get("round")
        return int(r.value) if r is not None and r.value.isdecimal() and len(r.value) < 10 else 0

    return sorted(out, key=order)


def parse_swanctl(ctx: _Ctx, text: str) -> DeviceConfig:
    root, includes = parse_sections(text, ctx.source)
    for n, _path in includes:
        ctx.note(n, "include: only this file was read")
    keys = _swanctl_keys(ctx, root)
    conns = root.sub("connections")
    tunnels: list[Tunnel] = []
    local_ips: list[tuple[str, int]] = []
    for name, sec in root.sections.items():
        if name not in ("connections", "secrets"):
            ctx.note(sec.line, f"section '{name}' not modelled")
    for cname, conn in (conns.sections.items() if conns is not None else []):
        tunnels += _swanctl_conn(ctx, cname, conn, keys, local_ips)
    return _device(ctx, "swanctl", tunnels, local_ips)


def _swanctl_conn(ctx: _Ctx, cname: str, conn: Section, keys: list[_Key],
                  local_ips: list[tuple[str, int]]) -> list[Tunnel]:
    g = conn.get
    lines: dict[str, Line] = {}
    dflt: list[str] = []

    def cite(field: str, v: Value | None) -> None:
        if v is None:
            dflt.append(field)
        else:
            lines[field] = ctx.cite(v.line)

    v_version = g("version")
    version = int(v_version.value[:4]) if v_version and v_version.value.isdecimal() else _d(
        "connection", "version")
    if version not in (0, 1, 2):
        raise ConfigError(f"{ctx.source}: line {v_version.line if v_version else 0}: "
                          f"IKE version must be 0, 1 or 2")
    cite("ike_versions", v_version)
    v_local, v_remote = g("local_addrs"), g("remote_addrs")
    l_ips, _l_any, _l_host = _addresses(v_local.value if v_local else "%any")
    r_ips, r_any, r_host = _addresses(v_remote.value if v_remote else "%any")
    if not r_ips and not r_host:
        r_any = True
    cite("local_address", v_local)
    cite("peer_addresses", v_remote)
    if v_local is not None:
        local_ips += [(ip, v_local.line) for ip in l_ips]
    for port_key in ("local_port", "remote_port"):
        v_port = g(port_key)
        if v_port is not None and v_port.value.strip() != "500":
            ctx.note(v_port.line, f"{port_key} = {v_port.value}: non-standard IKE port "
                     "(not modelled; the peer must use it too)")
    v_aggr = g("aggressive")
    aggressive = v_aggr.value.lower() in ("yes", "true", "1") if v_aggr else _d(
        "connection", "aggressive")
    cite("exchange_mode", v_aggr)
    v_dpd = g("dpd_delay")
    dpd = (seconds(v_dpd.value) or 0) > 0 if v_dpd else False
    cite("dpd", v_dpd)
    v_encap = g("encap")
    if v_encap is not None:
        lines["nat_traversal"] = ctx.cite(v_encap.line)
    else:
        dflt.append("nat_traversal")
    v_rekey, v_reauth = g("rekey_time"), g("reauth_time")
    ike_life = _d("connection", "rekey_time")
    life_line = v_rekey
    if v_reauth is not None and (seconds(v_reauth.value) or 0) > 0 and (
            v_rekey is None or not seconds(v_rekey.value)):
        ike_life, life_line = seconds(v_reauth.value), v_reauth
    elif v_rekey is not None:
        ike_life = seconds(v_rekey.value) or None  # 0: never rekeyed, no lifetime
    # auth rounds
    lr, rr = _rounds(conn, "local"), _rounds(conn, "remote")
    for extra in lr[1:] + rr[1:]:
        ctx.note(extra.line, "further authentication round not modelled")
    la = lr[0].get("auth") if lr else None
    ra = rr[0].get("auth") if rr else None
    local_auth = _auth(la.value if la else _d("connection", "local_auth"))
    remote_auth = _auth(ra.value if ra else _d("connection", "remote_auth"))
    cite("local_auth", la)
    cite("remote_auth", ra)
    lid = lr[0].get("id") if lr else None
    rid = rr[0].get("id") if rr else None
    local_id = identity(lid.value) if lid else Identity(type="ip")
    if lid is None and lr and (lr[0].get("certs") or any(n.startswith("cert")
                                                         for n in lr[0].sections)):
        # vici: "id not specified, defaulting to cert subject"
        local_id = Identity(type="dn")
        ctx.note(lr[0].line, "no local id: the certificate's subject DN is sent")
    remote_id = identity(rid.value) if rid else Identity(type="any")
    cite("local_id", lid)
    cite("remote_id", rid)
    local_address = l_ips[0] if l_ips else None
    # pre-shared key
    psk = None
    if "psk" in (local_auth, remote_auth):
        me = local_id if local_id.value else (
            Identity(type="ip", value=local_address) if local_address else None)
        other = remote_id if remote_id.type != "any" else (
            Identity(type="ip", value=r_ips[0]) if r_ips else None)
        key, guessed = _best_key(keys, me, other)
        if guessed and key is not None:
            ctx.note(key.line, "which secret applies depends on the identity the peer sends; "
                     "this one assumed")
        if key is None:
            psk = Secret(kind="missing")
            dflt.append("psk")
        else:
            psk = key.value
            lines["psk"] = ctx.cite(key.line)
    v_props = g("proposals")
    ike_parsed, _ = parse_list(v_props.value if v_props else _d("connection", "proposals"))
    ike_ev = ctx.cite(v_props.line) if v_props else None
    cite("ike_proposals", v_props)
    p_lines = {"lifetime": ctx.cite(life_line.line)} if life_line is not None else {}
    p_dflt = () if life_line is not None else ("lifetime",)
    ike_props = _ike_proposals(ctx, ike_parsed, version, ike_ev, ike_life, local_auth, p_lines,
                               p_dflt, cname)
    if not ike_props:
        ctx.note(conn.line, "no usable IKE proposal: charon would not load this connection")
    children = conn.sub("children")
    if children is None or not children.sections:
        ctx.note(conn.line, "connection without children: no CHILD_SA, no tunnel")
        return []
    out: list[Tunnel] = []
    for chname, child in children.sections.items():
        t = _swanctl_child(ctx, cname, chname, child, version, ike_props, local_address,
                           r_ips, lines, dflt)
        if t is None:
            continue
        t.ike_versions = (1, 2) if version == 0 else (version,)
        t.initiate_version = 1 if version == 1 else 2
        t.exchange_mode = "aggressive" if aggressive else "main"
        t.psk, t.local_auth, t.remote_auth = psk, local_auth, remote_auth
        t.local_id, t.remote_id = local_id, remote_id
        t.local_address, t.local_interface = local_address, LOCAL_IF
        t.peer_addresses, t.peer_any, t.peer_hostname = tuple(r_ips), r_any, r_host
        t.kind = "template" if r_any and not r_ips else "static"
        if t.initiates and not (r_ips or r_host):  # nothing to send IKE to
            t.initiates = False
            ctx.note(t.lines["initiates"].line if "initiates" in t.lines else child_line(t),
                     "start_action without a remote address: charon cannot initiate")
        # 'none' loads the connection; it can still be initiated by hand when a peer is known
        t.manual_initiation = not t.initiates and bool(r_ips or r_host)
        t.nat_traversal, t.dpd = True, dpd
        t.bound_interface = LOCAL_IF
        out.append(t)
    return out


def _swanctl_child(ctx: _Ctx, cname: str, chname: str, child: Section, version: int,
                   ike_props: list[IkeProposal], local_address: str | None, r_ips: list[str],
                   conn_lines: dict[str, Line], conn_dflt: list[str]) -> Tunnel | None:
    g = child.get
    lines = dict(conn_lines)
    dflt = list(conn_dflt)
    v_mode = g("mode")
    mode = v_mode.value.lower() if v_mode else _d("child", "mode")
    if mode in ("pass", "drop"):
        ctx.note(child.line, f"shunt policy (mode = {mode}): no tunnel")
        return None
    if mode not in ("tunnel", "transport"):
        ctx.note(v_mode.line if v_mode else child.line,
                 f"mode {mode} modelled as tunnel")
        mode = "tunnel"
    v_start = g("start_action")
    start = v_start.value.lower() if v_start else _d("child", "start_action")
    if v_start is None:
        dflt.append("initiates")
    else:
        lines["initiates"] = ctx.cite(v_start.line)
    v_rekey, v_life = g("rekey_time"), g("life_time")
    life = _d("child", "rekey_time")
    cl_lines: dict[str, Line] = {}
    cl_dflt: list[str] = []
    if v_rekey is not None and (seconds(v_rekey.value) or 0) > 0:
        life = seconds(v_rekey.value)
        cl_lines["lifetime"] = ctx.cite(v_rekey.line)
    elif v_life is not None and (seconds(v_life.value) or 0) > 0:
        life = seconds(v_life.value)
        cl_lines["lifetime"] = ctx.cite(v_life.line)
    elif v_rekey is not None:  # rekey_time = 0 and no life_time: never rekeyed or expired
        life = None
        cl_lines["lifetime"] = ctx.cite(v_rekey.line)
    else:
        cl_dflt.append("lifetime")
    if v_mode is not None:
        cl_lines["mode"] = ctx.cite(v_mode.line)
    else:
        cl_dflt.append("mode")
    # proposals in the order the keys appear (vici fills one list from both settings)
    items: list[tuple[str, list[Parsed], Line | None]] = []
    for key in child.settings:
        if key in ("esp_proposals", "ah_proposals"):
            v = child.settings[key]
            items.append((key[:-10], parse_list(v.value)[0], ctx.cite(v.line)))
    if items:
        first = child.settings["esp_proposals" if items[0][0] == "esp" else "ah_proposals"]
        lines["child_proposals"] = lines["pfs"] = ctx.cite(first.line)
    else:
        items = [("esp", parse_list(_d("child", "esp_proposals"))[0], None)]
        dflt += ["child_proposals", "pfs"]
    props, pfs, trunc = _child_proposals(ctx, items, version, mode, life, cl_lines,
                                         tuple(cl_dflt), chname)
    v_lts, v_rts = g("local_ts"), g("remote_ts")
    sels = selectors(v_lts.value if v_lts else "dynamic", v_rts.value if v_rts else "dynamic",
                     local_address, r_ips[0] if r_ips else None,
                     ctx.cite(v_lts.line) if v_lts else ctx.cite(child.line))
    if v_lts is None and v_rts is None:
        dflt.append("selectors")
    else:
        lines["selectors"] = ctx.cite((v_lts or v_rts).line)  # type: ignore[union-attr]
    return Tunnel(
        name=f"{cname}/{chname}", initiates=start in ("trap", "start"),
        ike_proposals=list(ike_props), child_proposals=props, pfs=pfs, selectors=sels,
        selector_name=chname, sha2_truncation=96 if trunc else 128, ev=ctx.cite(child.line),
        lines=lines, defaults=tuple(dict.fromkeys(dflt)))


