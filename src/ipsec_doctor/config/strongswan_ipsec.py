"""Legacy ``ipsec.conf`` (stroke/starter) + ``ipsec.secrets`` to ``DeviceConfig``: one ``Tunnel``
per loaded ``conn`` (``%default`` and ``also=`` inheritance resolved; ``left`` = local side).
See ``config/strongswan.py`` for the modelling choices, ``defaults/strongswan.yaml`` for the
defaults."""

from __future__ import annotations

from ..model import Line
from .model import DeviceConfig, Identity, Secret, Tunnel
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
from .strongswan_syntax import Conn, SecretLine, Value
from .strongswan_ts import selectors

MAX_ALSO = 32


def _resolve(conn: Conn, by_name: dict[str, Conn], default: dict[str, Value],
             ctx: _Ctx) -> dict[str, Value]:
    """Settings after inheritance: own settings over ``also=`` sections (depth-first, in order)
    over ``conn %default``."""
    merged: dict[str, Value] = dict(default)
    seen: set[str] = set()

    def apply(c: Conn, depth: int) -> None:
        if c.name in seen or depth > MAX_ALSO:
            return
        seen.add(c.name)
        also = c.settings.get("also")
        for name in (also.value.split() if also else []):
            base = by_name.get(name)
            if base is None:
                ctx.note(also.line, f"also={name}: no such conn")  # type: ignore[union-attr]
                continue
            apply(base, depth + 1)
        merged.update({k: v for k, v in c.settings.items() if k != "also"})

    apply(conn, 0)
    return merged


def _keys(secrets: list[SecretLine]) -> list[_Key]:
    out = []
    for s in secrets:
        if s.type != "PSK":
            continue
        ids = [identity(i) for i in s.ids]
        out.append(_Key(ids, secret(_decode_key(s.value, quoted_is_literal=True),
                                    encrypted=False), s.line))
    return out


def _yes(v: Value | None, default: bool) -> bool:
    if v is None:
        return default
    return v.value.lower() in ("yes", "true", "1")


def _end_id(v: Value | None, addr_value: str, addrs: list[str]) -> Identity:
    if v is not None:
        return identity(v.value)
    if addrs:
        return Identity(type="ip", value=addrs[0])
    if addr_value.lower().startswith("%any"):
        return Identity(type="any")
    return Identity(type="ip")


# keys only Libreswan (pluto) knows; strongSwan's starter rejects them (strongSwan 4.x's own
# pluto keys -- plutodebug, nat_traversal, virtual_private, plutostart -- are not in the list)
LIBRESWAN_KEYS = frozenset({
    "ikev2", "encapsulation", "phase2", "phase2alg", "salifetime", "retransmit-timeout",
    "retransmit-interval", "aggrmode", "nat-ikev1-method", "ikepad", "protostack", "logfile",
    "logtime", "logappend", "virtual-private", "ike-socket-bufsize", "dumpdir", "pfsgroup",
    "narrowing", "sha2-truncbug", "ikev1-policy", "nhelpers", "seedbits",
})


def dialect(conns: list[Conn]) -> str:
    """``libreswan`` when a section uses a pluto-only key or the ``;`` DH separator."""
    for c in conns:
        for k, v in c.settings.items():
            if k in LIBRESWAN_KEYS or (k in ("ike", "esp") and ";" in v.value):
                return "libreswan"
    return "strongswan"


def parse_ipsec(ctx: _Ctx, conns: list[Conn], secrets: list[SecretLine],
                includes: list[tuple[int, str]]) -> DeviceConfig:
    for n, _path in includes:
        ctx.note(n, "include: only this file (and its ipsec.secrets) was read")
    lsw = dialect(conns) == "libreswan"
    keys = _keys(secrets)
    by_name = {c.name: c for c in conns if c.kind == "conn"}
    default = by_name["%default"].settings if "%default" in by_name else {}
    tunnels: list[Tunnel] = []
    local_ips: list[tuple[str, int]] = []
    for c in conns:
        if c.kind != "conn" or c.name == "%default":
            continue
        s = _resolve(c, by_name, default, ctx)
        t = _conn(ctx, c, s, keys, local_ips, lsw)
        if t is not None:
            tunnels.append(t)
    return _device(ctx, "libreswan" if lsw else "ipsec.conf", tunnels, local_ips)


def _versions(g, lsw: bool) -> tuple[int, Value | None]:
    """0 (both, initiate IKEv2), 1 or 2 from keyexchange= / Libreswan ikev2=."""
    kx = g("keyexchange")
    if kx is not None:
        return {"ikev1": 1, "ikev2": 2}.get(kx.value.lower(), 0), kx
    if not lsw:
        return {"ikev1": 1, "ikev2": 2}.get(_d("ipsec_conf", "keyexchange"), 0), None
    v2 = g("ikev2")
    word = v2.value.lower() if v2 else _d("libreswan", "ikev2")
    if word in ("no", "never"):
        return 1, v2
    if word in ("permit", "propose"):
        return 0, v2
    return 2, v2


def _conn(ctx: _Ctx, c: Conn, s: dict[str, Value], keys: list[_Key],
          local_ips: list[tuple[str, int]], lsw: bool = False) -> Tunnel | None:
    g = s.get
    sec = "libreswan" if lsw else "ipsec_conf"
    table = "default_proposals_libreswan" if lsw else "default_proposals"
    dia = "libreswan" if lsw else "strongswan"
    lines: dict[str, Line] = {}
    dflt: list[str] = []

    def cite(field: str, v: Value | None) -> None:
        if v is None:
            dflt.append(field)
        else:
            lines[field] = ctx.cite(v.line)

    auto = g("auto")
    auto_v = auto.value.lower() if auto else _d(sec, "auto")
    if auto_v == "ignore":
        ctx.note(auto.line if auto else c.line, "auto=ignore (the default): conn not loaded")
        return None
    typ = g("type")
    mode = typ.value.lower() if typ else _d("ipsec_conf", "type")
    if mode in ("passthrough", "pass", "drop", "reject"):
        ctx.note(typ.line if typ else c.line, f"type={mode}: shunt policy, no tunnel")
        return None
    if mode not in ("tunnel", "transport"):
        mode = "tunnel"
    version, kx = _versions(g, lsw)
    cite("ike_versions", kx)
    left, right = g("left"), g("right")
    l_ips, _l_any, l_host = _addresses(left.value if left else "%any")
    r_ips, r_any, r_host = _addresses(right.value if right else "%any")
    if not r_ips and not r_host:
        r_any = True
    if left is not None:
        local_ips += [(ip, left.line) for ip in l_ips]
        if l_host:
            ctx.note(left.line, f"left={l_host}: a host name, the local address is unknown")
    cite("local_address", left)
    cite("peer_addresses", right)
    # authentication
    authby = g("authby")
    base = authby.value.lower() if authby else _d(sec, "authby")
    base_auth = {"secret": "psk", "psk": "psk", "xauthpsk": "psk", "never": "none"}.get(
        base, _auth(base))
    la, ra = g("leftauth"), g("rightauth")
    local_auth = _auth(la.value) if la else base_auth
    remote_auth = _auth(ra.value) if ra else base_auth
    cite("local_auth", la or authby)
    cite("remote_auth", ra or authby)
    lid, rid = g("leftid"), g("rightid")
    local_id = identity(lid.value) if lid else Identity(type="ip")
    if lid is None and g("leftcert") is not None:  # leftid defaults to the cert's subject
        local_id = Identity(type="dn")
        ctx.note(g("leftcert").line, "no leftid: the certificate's subject DN is sent")  # type: ignore[union-attr]
    remote_id = _end_id(rid, right.value if right else "%any", r_ips)
    cite("local_id", lid)
    cite("remote_id", rid)
    local_address = l_ips[0] if l_ips else None
    psk: Secret | None = None
    if "psk" in (local_auth, remote_auth):
        me = local_id if local_id.value else (
            Identity(type="ip", value=local_address) if local_address else None)
        key, guessed = _best_key(keys, me, remote_id if remote_id.value else None)
        if guessed and key is not None:
            ctx.note(key.line, "which secret applies depends on the identity the peer sends; "
                     "this one assumed")
        if key is None:
            psk = Secret(kind="missing")
            dflt.append("psk")
        else:
            psk = key.value
            lines["psk"] = ctx.cite(key.line)
    # IKE
    ike = g("ike")
    if ike is None and lsw:
        ike_parsed, strict = [Parsed(text="default", default=True)], True
    else:
        ike_parsed, strict = parse_list(ike.value if ike else _d("ipsec_conf", "ike"), dia)
    if not strict and not lsw:  # stroke appends charon's defaults unless the list ends in '!'
        ike_parsed.append(Parsed(text="default", default=True))
    cite("ike_proposals", ike)
    life = g("ikelifetime")
    ike_life = seconds(life.value) if life else None
    ike_life = ike_life or _d(sec, "ikelifetime")
    plines = {"lifetime": ctx.cite(life.line)} if life else {}
    auth_for_v1 = local_auth if local_auth != "none" else "psk"
    ike_props = _ike_proposals(ctx, ike_parsed, version, ctx.cite(ike.line) if ike else None,
                               ike_life, auth_for_v1, plines, () if life else ("lifetime",),
                               c.name, table)
    # CHILD
    esp, ah = g("esp") or (g("phase2alg") if lsw else None), g("ah")
    if ah is not None and esp is None:
        proto, pv = "ah", ah
    else:
        proto, pv = "esp", esp
    if pv is None and lsw:
        child_parsed, cstrict = [Parsed(text="default", default=True)], True
    else:
        child_parsed, cstrict = parse_list(pv.value if pv else _d("ipsec_conf", "esp"), dia)
    if not cstrict and not lsw:
        child_parsed.append(Parsed(text="default", default=True))
    if pv is not None:
        lines["child_proposals"] = lines["pfs"] = ctx.cite(pv.line)
    else:
        dflt += ["child_proposals", "pfs"]
    v_pfs = g("pfs")
    if v_pfs is not None and not lsw:
        ctx.note(v_pfs.line, "pfs= is ignored by charon: PFS = a DH group in esp=")
    klife = g("lifetime") or g("keylife") or (g("salifetime") if lsw else None)
    child_life = (seconds(klife.value) if klife else None) or _d(
        sec, "salifetime" if lsw else "lifetime")
    cl_lines = {"lifetime": ctx.cite(klife.line)} if klife else {}
    if typ is not None:
        cl_lines["mode"] = ctx.cite(typ.line)
    cl_dflt = tuple(f for f, v in (("lifetime", klife), ("mode", typ)) if v is None)
    props, pfs, trunc = _child_proposals(ctx, [(proto, child_parsed, ctx.cite(pv.line)
                                                if pv else None)],
                                         version, mode, child_life, cl_lines, cl_dflt, c.name,
                                         table)
    if lsw:  # pfs=yes (default): the IKE SA's group when esp= names none; pfs=no: none
        pfs_on = _yes(v_pfs, _d("libreswan", "pfs"))
        if not pfs_on:
            pfs = None
        elif pfs is None and ike_props and ike_props[0].dh:
            pfs = ike_props[0].dh[0]
        if v_pfs is not None:
            lines["pfs"] = ctx.cite(v_pfs.line)
    # selectors
    ls, rs = g("leftsubnet"), g("rightsubnet")
    lpp, rpp = g("leftprotoport"), g("rightprotoport")
    sels = selectors(ls.value if ls else "dynamic", rs.value if rs else "dynamic",
                     local_address, r_ips[0] if r_ips else None,
                     ctx.cite((ls or rs).line) if (ls or rs) else ctx.cite(c.line),
                     lpp.value if lpp else None, rpp.value if rpp else None)
    cite("selectors", ls or rs)
    # the rest
    aggr = g("aggressive") or (g("aggrmode") if lsw else None)
    cite("exchange_mode", aggr)
    dpda, dpdd = g("dpdaction"), g("dpddelay")
    if lsw:  # pluto: DPD runs when dpddelay (and, before 5.0, dpdtimeout) is set
        dpd_on = dpdd is not None and (seconds(dpdd.value) or 0) > 0
        cite("dpd", dpdd)
    else:
        dpd_on = (dpda.value.lower() if dpda else _d("ipsec_conf", "dpdaction")) != "none"
        if dpd_on and dpdd is not None and (seconds(dpdd.value) or 0) == 0:
            dpd_on = False
        cite("dpd", dpda)
    enc = g("forceencaps") or (g("encapsulation") if lsw else None)
    cite("nat_traversal", enc)
    natt = not (lsw and enc is not None and enc.value.lower() == "no")
    cite("initiates", auto)
    return Tunnel(
        name=c.name, kind="template" if r_any and not r_ips else "static",
        initiates=auto_v in ("start", "route", "ondemand", "keep"),
        manual_initiation=auto_v == "add" and bool(r_ips or r_host),
        ike_versions=(1, 2) if version == 0 else (version,),
        initiate_version=1 if version == 1 else 2,
        exchange_mode="aggressive" if _yes(aggr, _d("ipsec_conf", "aggressive")) else "main",
        ike_proposals=ike_props, psk=psk, local_auth=local_auth, remote_auth=remote_auth,
        local_id=local_id, remote_id=remote_id, local_address=local_address,
        local_interface=LOCAL_IF, peer_addresses=tuple(r_ips), peer_any=r_any,
        peer_hostname=r_host, nat_traversal=natt, dpd=dpd_on, child_proposals=props, pfs=pfs,
        selectors=sels, selector_name=c.name, bound_interface=LOCAL_IF,
        sha2_truncation=96 if trunc else 128, ev=ctx.cite(c.line), lines=lines,
        defaults=tuple(dict.fromkeys(dflt)))
