"""Fault-tree rules for poor quality over an established tunnel (AR guide 3.7 and case 4.3.1;
USG guide MSS case): CPU load, partial loss on the way to the peer, and a packet capture in
which full-size TCP segments go missing.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Signal
from ...parsers.generic.packet_list import TcpCaptureSummary
from ...parsers.huawei.ping import PingResult
from ...parsers.huawei.system import CpuUsage
from . import Position, World, derived

CPU_HIGH = 80.0  # percent, the guides' threshold
MSS_LARGE = 1380  # an MSS this large leaves no room for ESP on a 1500-byte path


def cpu_high(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        for cpu in world.states(CpuUsage, device):
            for field in ("usage", "usage_5s", "usage_1m", "usage_5m"):
                value = getattr(cpu, field)
                if value is not None and value >= CPU_HIGH:
                    yield derived(
                        "cpu above 80 percent",
                        cpu.line_of(field),
                        device=device,
                        detail=f"{field} {value:g}%",
                    )
                    yield Position(device, "poor-quality", None, cpu.line_of(field), "cpu")
                    break
            else:
                continue
            break


def partial_loss(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        for ping in world.states(PingResult, device):
            loss = ping.loss_percent
            if (
                ping.complete
                and loss is not None
                and 0 < loss < 100
                and (ping.transmitted or 0) >= 5
            ):
                yield derived(
                    "partial packet loss",
                    ping.line_of("loss_percent"),
                    ping.ev,
                    device=device,
                    detail=f"{loss:g}% to {ping.target}",
                )
                yield Position(device, "poor-quality", None, ping.ev, "loss")
                break


def capture_segments_lost(world: World) -> Iterator[Signal | Position]:
    for device in world.devices():
        for cap in world.states(TcpCaptureSummary, device):
            trouble = cap.lost + cap.retransmissions + cap.out_of_order
            if trouble >= 3 and any(m >= MSS_LARGE for m in cap.mss):
                yield derived(
                    "tcp segments lost with a large mss",
                    cap.line_of("lost"),
                    cap.line_of("mss"),
                    cap.line_of("retransmissions"),
                    device=device,
                    detail=f"{trouble} lost/retransmitted/out-of-order, MSS {max(cap.mss)}",
                )
                yield Position(device, "poor-quality", None, cap.line_of("lost"), "capture")
                break


RULES = (cpu_high, partial_loss, capture_segments_lost)
