"""Certificate rules (AR guide 3.3 and the "authentication fail" decision steps): a certificate
that is not valid at the device's own clock (expired, or not yet valid because the clock is
wrong) breaks certificate authentication.

The device clock (``display clock``) is compared with each certificate's validity
(``display pki certificate``); both are printed as ``YYYY-MM-DD HH:MM:SS`` and compare as
strings.  The certificate times are GMT and the clock is local time, so a margin of one day is
allowed on each side before the rule speaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from ...model import Signal
from ...parsers.huawei.pki import PkiCertificate
from ...parsers.huawei.system import Clock
from . import Position, World, derived

MARGIN = timedelta(days=1)


def _dt(text: str | None) -> datetime | None:
    try:
        return datetime.strptime(text or "", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def certificate_outside_validity(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        clocks = world.states(Clock, device)
        now = _dt(clocks[-1].timestamp) if clocks else None
        if now is None:
            continue
        for cert in world.states(PkiCertificate, device):
            start, end = _dt(cert.not_before), _dt(cert.not_after)
            if end is not None and now > end + MARGIN:
                field, why = "not_after", f"expired {cert.not_after}, clock {now:%Y-%m-%d %H:%M:%S}"
            elif start is not None and now < start - MARGIN:
                field, why = (
                    "not_before",
                    f"valid from {cert.not_before}, clock {now:%Y-%m-%d %H:%M:%S}",
                )
            else:
                continue
            yield derived(
                "certificate outside its validity period",
                cert.line_of(field),
                clocks[-1].ev,
                device=device,
                detail=f"{cert.kind or 'certificate'}: {why}",
            )
            yield Position(device, "ike-sa", None, cert.line_of(field), "certificate")


RULES = (certificate_outside_validity,)
