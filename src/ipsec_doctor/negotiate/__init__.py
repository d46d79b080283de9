"""IKEv1/IKEv2 negotiation simulator behind ``ipsec-doctor check``: two ends of a tunnel, each
as ``config.model`` objects, in, a ``result.PairResult`` out (pure: no I/O besides reading its
own data files, no printing)."""

from __future__ import annotations

from .simulate import check_pair

__all__ = ["check_pair"]
