"""Report renderers: terminal (rich), JSON (per ../shared/spec), Markdown.  Each takes a
``Report`` and returns text; none of them reads input or decides anything."""
