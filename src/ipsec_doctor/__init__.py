"""ipsec-doctor: diagnose IPsec VPN failures from pasted device evidence.

The engine is a pure library: ``scan_text``/``scan_chunks`` turn evidence into facts and
``diagnose`` turns facts into a ``Report``; ``load_config`` turns configuration text into
vendor-neutral ``DeviceConfig`` objects and ``check`` predicts their tunnels' negotiation
(a ``CheckReport``); no I/O or printing happens inside.  Front ends (the CLI, later a web page or
a distributed job) stay thin.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "check",
    "diagnose",
    "diagnose_text",
    "load_config",
    "scan_chunks",
    "scan_text",
]


def __getattr__(name: str):  # lazy: keep `import ipsec_doctor` and CLI start-up cheap
    if name in ("diagnose", "diagnose_text"):
        from .diagnose import engine

        return getattr(engine, name)
    if name in ("scan_chunks", "scan_text"):
        from .ingest import scan

        return getattr(scan, name)
    if name == "check":
        from .check.build import build

        return build
    if name == "load_config":
        from .config import load_text

        return load_text
    raise AttributeError(name)
