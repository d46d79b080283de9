"""IKE version choice: the initiator starts with ``initiate_version``; a responder without that
version does not answer (IKEv1-only ends drop IKEv2, IKEv2-only ends drop IKEv1).  An initiator
that also accepts the other version retries with it only when its vendor falls back
(``behaviours.yaml`` ``falls_back_to_ikev1``: ASA yes, IOS assumed yes, Huawei and strongSwan
no)."""

from __future__ import annotations

from . import behaviours
from .context import Direction_, change
from .result import Failure


def pick(d: Direction_) -> tuple[int | None, list[Failure]]:
    """(version used, failures)."""
    ini, resp = d.ini, d.resp
    first = ini.tun.initiate_version
    if first in resp.tun.ike_versions:
        d.trace.append(f"{ini.name} starts with IKEv{first}; {resp.name} accepts it")
        return first, []
    other = 1 if first == 2 else 2
    falls_back, conf, source = behaviours.switch(ini.vendor, "falls_back_to_ikev1")
    both = other in ini.tun.ike_versions and other in resp.tun.ike_versions
    if both and falls_back and other == 1:
        d.trace.append(f"{ini.name} starts with IKEv{first}, {resp.name} does not answer; "
                       f"{ini.name} falls back to IKEv1 ({source})")
        return other, []
    d.version = first
    resp_versions = "/".join(f"v{v}" for v in resp.tun.ike_versions) or "none"
    detail = (f"IKE version: {ini.name} initiates with IKEv{first}, {resp.name} accepts only "
              f"{resp_versions}")
    if both:
        detail += f" ({ini.name} accepts v{other} but does not fall back to it: {source})"
    changes = [change(resp, "ike_version", first)]
    if resp.tun.ike_versions:
        changes.insert(0, change(ini, "ike_version", resp.tun.ike_versions[0]))
    return None, [d.fail(
        "ike-version-mismatch", "ike", detail, event="version",
        lines={ini.label: ini.cite("ike_versions"), resp.label: resp.cite("ike_versions")},
        changes=changes, confidence=conf if both else 0.9)]
