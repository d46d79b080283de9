"""Errors that front ends turn into a one-line message and exit status 2."""

from __future__ import annotations


class InputError(Exception):
    """Unusable input or arguments: the message is safe to show (already redacted)."""
