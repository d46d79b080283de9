"""Diagnosis: aggregate facts per device and peer, rank root causes, say what to collect next."""
