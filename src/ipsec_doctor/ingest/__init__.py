"""Ingest: read evidence (streaming, bounded memory), clean lines, find prompts and blocks."""
